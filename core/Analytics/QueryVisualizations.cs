namespace Workforce.Core.Analytics;

/// <summary>The ranges the dashboard's history view offers, each with the step that draws it in 60 to 180 points.</summary>
public enum VisualizationRange
{
    LastHour,
    LastDay,
    LastWeek,
    LastMonth,
}

/// <summary>
/// Series side by side over the same steps, column-wise (what chart libraries take): <see cref="Timestamps"/> are
/// the steps' starts in Unix seconds, and each series has one value (or null for no data) per timestamp.
/// </summary>
public sealed record Visualization(string Range, DateTimeOffset From, DateTimeOffset To, TimeSpan Step, IReadOnlyList<long> Timestamps, IReadOnlyDictionary<string, IReadOnlyList<double?>> Series);

/// <summary>What the dashboard's history view draws: throughput, errors, latency percentiles and utilisation.</summary>
public sealed class QueryVisualizations(IAnalyticsStore store, AnalyticsOptions options, TimeProvider clock)
{
    private static readonly string[] TaskMetrics =
        ["submitted", "completed", "failed", "throughput", "errorRate", "scheduleToStartP50", "scheduleToStartP95", "scheduleToStartP99", "runTimeP50", "runTimeP95", "runTimeP99"];

    private static readonly string[] GaugeMetrics = ["queueDepth", "onlineAgents", "utilisation"];

    public static string NameOf(VisualizationRange range) => range switch
    {
        VisualizationRange.LastHour => "1h",
        VisualizationRange.LastDay => "24h",
        VisualizationRange.LastWeek => "7d",
        _ => "30d",
    };

    public static VisualizationRange? Parse(string? name) =>
        Enum.GetValues<VisualizationRange>().Cast<VisualizationRange?>().FirstOrDefault(range => NameOf(range!.Value) == name);

    public async Task<Visualization> ExecuteAsync(Caller caller, VisualizationRange range, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (length, step) = range switch
        {
            VisualizationRange.LastHour => (TimeSpan.FromHours(1), TimeSpan.FromMinutes(1)),
            VisualizationRange.LastDay => (TimeSpan.FromDays(1), TimeSpan.FromMinutes(10)),
            VisualizationRange.LastWeek => (TimeSpan.FromDays(7), TimeSpan.FromHours(1)),
            _ => (TimeSpan.FromDays(30), TimeSpan.FromHours(6)),
        };
        var now = clock.GetUtcNow();
        var window = AnalyticsRange.Resolve(now - length, now, step, now, options).Value!;
        var tasks = await window.ReadAsync(store, caller.TenantId, AnalyticsSeries.Tasks, cancellationToken: cancellationToken);
        var gauges = await window.ReadAsync(store, caller.TenantId, AnalyticsSeries.Gauges, cancellationToken: cancellationToken);
        var series = new Dictionary<string, IReadOnlyList<double?>>(StringComparer.Ordinal);
        foreach (var name in TaskMetrics)
        {
            var metric = AnalyticsMetrics.Find(name)!;
            series[name] = [.. tasks.Select(values => metric.Read(values, step, null))];
        }

        foreach (var name in GaugeMetrics)
        {
            var metric = AnalyticsMetrics.Find(name)!;
            series[name] = [.. gauges.Select(values => metric.Read(values, step, null))];
        }

        var timestamps = Enumerable.Range(0, window.Points).Select(i => window.PointAt(i).ToUnixTimeSeconds()).ToList();
        return new Visualization(NameOf(range), window.From, window.To, step, timestamps, series);
    }
}
