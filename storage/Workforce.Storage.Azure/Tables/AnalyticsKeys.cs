using System.Globalization;
using System.Text;
using Workforce.Core.Analytics;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// The keys of the analytics tables. Rollups are partitioned by tenant, resolution and period (a day of minutes,
/// a month of hours), so that no partition grows without bound and a range reads few partitions; within one, a
/// rollup's key is its start and series, so a time range is a key range in start order. Markers of applied batches
/// sort after every rollup (letters follow digits). Partitions are listed in an index partition per resolution,
/// in period order, which is how purges find them without scanning the table.
/// </summary>
internal static class AnalyticsKeys
{
    public const string MarkerPrefix = "batch|";

    public static string Partition(string tenantId, RollupResolution resolution, DateTimeOffset start) =>
        $"{tenantId}|{Letter(resolution)}|{Period(resolution, start)}";

    /// <summary>yyyyMMdd for minutes, yyyyMM for hours: fixed width, so text order is time order.</summary>
    public static string Period(RollupResolution resolution, DateTimeOffset at) =>
        at.UtcDateTime.ToString(resolution == RollupResolution.Minute ? "yyyyMMdd" : "yyyyMM", CultureInfo.InvariantCulture);

    public static DateTimeOffset PeriodStart(RollupResolution resolution, DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return resolution == RollupResolution.Minute
            ? new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public static DateTimeOffset NextPeriod(RollupResolution resolution, DateTimeOffset periodStart) =>
        resolution == RollupResolution.Minute ? periodStart.AddDays(1) : periodStart.AddMonths(1);

    public static string Rollup(DateTimeOffset start, string series) => Time(start) + "|" + Escape(series);

    /// <summary>The first key of rollups that start at or after <paramref name="at"/> (a start and a bar follow it).</summary>
    public static string Time(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>
    /// A batch's marker in one partition, one per transaction of the batch there. It carries the batch's age first,
    /// so the old ones are a key range.
    /// </summary>
    public static string Marker(DateTimeOffset age, string batchId, int chunk) =>
        $"{MarkerPrefix}{Time(age)}|{Escape(batchId)}|{chunk.ToString(CultureInfo.InvariantCulture)}";

    public static string IndexPartition(RollupResolution resolution) => "parts|" + Letter(resolution);

    public static string IndexRow(RollupResolution resolution, DateTimeOffset start, string tenantId) => Period(resolution, start) + "|" + tenantId;

    /// <summary>Past every index row of the period (a bar follows it in each row, and '}' sorts after the bar).</summary>
    public static string AfterPeriod(RollupResolution resolution, DateTimeOffset at) => Period(resolution, at) + "}";

    public static string SamplePartition(string tenantId, Guid agentId) => $"{tenantId}|{agentId:N}";

    /// <summary>
    /// Keys may not hold '/', '\', '#', '?' or control characters, and series hold task types, which may: those
    /// (and '%') are written as %XX. Every such character is below U+00A0, so the key at most triples in length.
    /// </summary>
    public static string Escape(string text)
    {
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (NeedsEscape(c))
            {
                escaped.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);

    private static char Letter(RollupResolution resolution) => resolution == RollupResolution.Minute ? 'm' : 'h';
}
