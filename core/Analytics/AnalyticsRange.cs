using Workforce.Core.Storage;

namespace Workforce.Core.Analytics;

/// <summary>
/// A validated time range cut into equal steps, and the resolution of rollups that serves it: hours when the step
/// is whole hours, else minutes (which reach back only as far as they are kept).
/// </summary>
public sealed record AnalyticsRange(DateTimeOffset From, DateTimeOffset To, TimeSpan Step, RollupResolution Resolution)
{
    public const int MaxPoints = 1_440;

    /// <summary>The steps a range is given when none is asked for: the finest that keeps it within 360 points.</summary>
    private static readonly TimeSpan[] DefaultSteps =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromDays(1)];

    public int Points => (int)((To - From) / Step);

    public DateTimeOffset PointAt(int index) => From + (Step * index);

    /// <summary>Checks a requested range (from inclusive, to exclusive): to defaults to now, from to an hour before to.</summary>
    public static Outcome<AnalyticsRange> Resolve(DateTimeOffset? from, DateTimeOffset? to, TimeSpan? step, DateTimeOffset now, AnalyticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Left open, the range ends just after now, so it holds the step now falls in.
        var end = to ?? now.AddTicks(1);
        var start = from ?? end - TimeSpan.FromHours(1);
        if (start < DateTimeOffset.UnixEpoch || end > now.AddDays(1))
        {
            return Failure.Invalid(from is null ? "to" : "from", "Give times between 1970 and a day from now.");
        }

        if (start >= end)
        {
            return Failure.Invalid("from", "from must be before to.");
        }

        if (end - start > options.HourRetention)
        {
            return Failure.Invalid("from", $"History is kept for {options.HourRetention.TotalDays:0} days; ask for a shorter range.");
        }

        var chosen = step ?? DefaultSteps.FirstOrDefault(candidate => (end - start) / candidate <= 360, DefaultSteps[^1]);
        if (chosen < TimeSpan.FromMinutes(1) || chosen.Ticks % TimeSpan.TicksPerMinute != 0 || chosen > TimeSpan.FromDays(31))
        {
            return Failure.Invalid("step", "Give a step of whole minutes (1m to 31d), e.g. 1m, 15m, 1h, 1d.");
        }

        var resolution = chosen.Ticks % TimeSpan.TicksPerHour == 0 ? RollupResolution.Hour : RollupResolution.Minute;
        var range = new AnalyticsRange(Floor(start, chosen), Ceiling(end, chosen), chosen, resolution);
        if (range.Points > MaxPoints)
        {
            return Failure.Invalid("step", $"That is {range.Points} points; at most {MaxPoints} are returned. Use a larger step or a shorter range.");
        }

        if (resolution == RollupResolution.Minute && range.From < now - options.MinuteRetention)
        {
            return Failure.Invalid("step", $"Minute rollups are kept for {options.MinuteRetention.TotalDays:0} days; for older data use a step of whole hours.");
        }

        return range;
    }

    /// <summary>Adds up the tenant's rollups of the series that pass the filter into one <see cref="RollupValues"/> per step.</summary>
    public async Task<RollupValues[]> ReadAsync(
        IAnalyticsStore store, string tenantId, string seriesPrefix, Func<string, bool>? include = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var steps = new RollupValues[Points];
        for (var i = 0; i < steps.Length; i++)
        {
            steps[i] = new RollupValues();
        }

        await foreach (var rollup in store.ReadRollupsAsync(tenantId, Resolution, seriesPrefix, From, To, cancellationToken))
        {
            if (include is null || include(rollup.Series))
            {
                steps[(int)((rollup.Start - From) / Step)].Merge(rollup.Values);
            }
        }

        return steps;
    }

    private static DateTimeOffset Floor(DateTimeOffset at, TimeSpan step) => new(at.UtcTicks - (at.UtcTicks % step.Ticks), TimeSpan.Zero);

    private static DateTimeOffset Ceiling(DateTimeOffset at, TimeSpan step) => Floor(at.AddTicks(step.Ticks - 1), step);
}
