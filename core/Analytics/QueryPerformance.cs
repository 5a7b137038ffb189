namespace Workforce.Core.Analytics;

/// <param name="Current">True for the server that answered, read now; the others' figures are their last minute's averages.</param>
public sealed record ServerPerformance(
    string Server, DateTimeOffset At, bool Current, double? CpuPercent, double? MemoryMb, double? ManagedHeapMb, double? Threads,
    double? DiskFreeMb, double? DiskTotalMb, double? UptimeSeconds);

public sealed record PerformanceReport(DateTimeOffset AsOf, IReadOnlyList<ServerPerformance> Servers);

/// <summary>
/// The platform's servers now: the answering one measured on the spot, the others as they last reported (within
/// the last five minutes; a server silent for longer is gone).
/// </summary>
public sealed class QueryPerformance(ISystemMetrics system, IAnalyticsStore analytics, TimeProvider clock)
{
    private static readonly TimeSpan ReportedWithin = TimeSpan.FromMinutes(5);

    public async Task<PerformanceReport> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var here = system.Read();
        var latest = new Dictionary<string, AnalyticsRollup>(StringComparer.Ordinal);
        await foreach (var rollup in analytics.ReadRollupsAsync(
            AnalyticsSeries.PlatformTenant, RollupResolution.Minute, AnalyticsSeries.ServerPrefix, AnalyticsRollup.StartOf(RollupResolution.Minute, now - ReportedWithin), now, cancellationToken))
        {
            latest[rollup.Series] = rollup;
        }

        var servers = new List<ServerPerformance>
        {
            new(here.Server, here.At, true, here.CpuPercent, here.MemoryMb, here.ManagedHeapMb, here.Threads, here.DiskFreeMb, here.DiskTotalMb, here.Uptime.TotalSeconds),
        };
        foreach (var (series, rollup) in latest.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            var name = series[AnalyticsSeries.ServerPrefix.Length..];
            if (name == here.Server)
            {
                continue;
            }

            var values = rollup.Values;
            servers.Add(new ServerPerformance(
                name, rollup.Start, false, values.Average(AnalyticsValues.CpuCentiPercent) / 100, values.Average(AnalyticsValues.MemoryMb),
                values.Average(AnalyticsValues.ManagedHeapMb), values.Average(AnalyticsValues.Threads), values.Average(AnalyticsValues.DiskFreeMb),
                values.Average(AnalyticsValues.DiskTotalMb), values.Peak(AnalyticsValues.UptimeSeconds)));
        }

        return new PerformanceReport(now, servers);
    }
}
