using System.Globalization;
using NCrontab;

namespace Workforce.Core.Reports;

/// <summary>
/// The times of report schedules: six-field NCRONTAB expressions (seconds first, UTC, as the periodic jobs use) and
/// ranges written as a whole number of hours or days (<c>24h</c>, <c>7d</c>, <c>30d</c>), as the dashboard names them.
/// </summary>
public static class ScheduleTimes
{
    /// <summary>A schedule runs at most once an hour: a report is a review, not a metric feed.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromHours(1);

    public static readonly TimeSpan MinRange = TimeSpan.FromHours(1);

    private static readonly CrontabSchedule.ParseOptions SixFields = new() { IncludingSeconds = true };

    public static CrontabSchedule? ParseCron(string? expression) =>
        string.IsNullOrWhiteSpace(expression) || expression.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6
            ? null
            : CrontabSchedule.TryParse(expression.Trim(), SixFields);

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset NextAfter(string cron, DateTimeOffset after)
    {
        var schedule = ParseCron(cron) ?? throw new ArgumentException($"'{cron}' is not a six-field NCRONTAB expression.", nameof(cron));
        return new DateTimeOffset(DateTime.SpecifyKind(schedule.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));
    }

    /// <summary>The last occurrence at or before <paramref name="now"/>, starting from <paramref name="due"/> (itself an occurrence, at or before now).</summary>
    public static DateTimeOffset LatestDue(string cron, DateTimeOffset due, DateTimeOffset now)
    {
        var latest = due;
        for (var next = NextAfter(cron, due); next <= now; next = NextAfter(cron, next))
        {
            latest = next;
        }

        return latest;
    }

    /// <summary>The shortest gap between the next occurrences, to hold schedules to <see cref="MinInterval"/>.</summary>
    public static TimeSpan ShortestGap(CrontabSchedule schedule, DateTimeOffset from, int occurrences = 100)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var shortest = TimeSpan.MaxValue;
        var previous = schedule.GetNextOccurrence(from.UtcDateTime);
        for (var i = 0; i < occurrences; i++)
        {
            var next = schedule.GetNextOccurrence(previous);
            if (next == previous)
            {
                break;
            }

            shortest = next - previous < shortest ? next - previous : shortest;
            previous = next;
        }

        return shortest;
    }

    public static TimeSpan? ParseRange(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2 || text[^1] is not ('h' or 'd')
            || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            return null;
        }

        return text[^1] == 'h' ? TimeSpan.FromHours(count) : TimeSpan.FromDays(count);
    }

    public static string FormatRange(TimeSpan range) =>
        range.Ticks % TimeSpan.TicksPerDay == 0
            ? $"{(long)range.TotalDays}d".ToString(CultureInfo.InvariantCulture)
            : $"{(long)range.TotalHours}h".ToString(CultureInfo.InvariantCulture);
}
