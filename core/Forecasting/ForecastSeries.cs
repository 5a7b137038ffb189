using Workforce.Core.Analytics;

namespace Workforce.Core.Forecasting;

/// <summary>What a forecast series measures per hour.</summary>
public enum ForecastMetric
{
    Submissions,
    Completions,

    /// <summary>Agent slot-hours spent running attempts: what scaling advice is made from.</summary>
    BusyAgentHours,

    /// <summary>Percent of finished tasks that failed for good; watched for anomalies.</summary>
    ErrorRate,

    /// <summary>The hour's 95th percentile of schedule-to-start latency, in ms; watched for anomalies.</summary>
    ScheduleToStartP95,
}

/// <summary>
/// A series a tenant's models are trained on: a metric over all of its tasks, or over those that require one
/// capability set. Named <c>completions</c> or <c>completions:gpu,translate</c>.
/// </summary>
public sealed record ForecastSeries(ForecastMetric Metric, string? CapabilitySet = null)
{
    /// <summary>Anomalies are looked for in throughput, errors and latency; every series is forecast.</summary>
    public bool IsWatched => Metric is ForecastMetric.Completions or ForecastMetric.ErrorRate or ForecastMetric.ScheduleToStartP95;

    /// <summary>Counts are 0 in an hour without tasks; rates and percentiles are unknown then (a gap).</summary>
    public bool IsCount => Metric is ForecastMetric.Submissions or ForecastMetric.Completions or ForecastMetric.BusyAgentHours;

    public string Name => CapabilitySet is null ? MetricName(Metric) : $"{MetricName(Metric)}:{CapabilitySet}";

    /// <summary>The analytics series it is read from.</summary>
    public string Rollups => CapabilitySet is null ? AnalyticsSeries.Tasks : AnalyticsSeries.CapabilitySetPrefix + CapabilitySet;

    public override string ToString() => Name;

    /// <summary>The value of one hour's rollup; NaN when the hour tells nothing (no finished tasks for a rate).</summary>
    public double ValueOf(RollupValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Metric switch
        {
            ForecastMetric.Submissions => values.Counter(AnalyticsValues.Submitted),
            ForecastMetric.Completions => values.Counter(AnalyticsValues.Completed),
            ForecastMetric.BusyAgentHours => values.Counter(AnalyticsValues.BusyMs) / 3_600_000.0,
            ForecastMetric.ErrorRate => AnalyticsMetrics.ErrorRate(values) ?? double.NaN,
            _ => values.Histogram(AnalyticsValues.ScheduleToStart)?.Quantile(0.95) ?? double.NaN,
        };
    }

    public static IReadOnlyList<ForecastMetric> Metrics { get; } = Enum.GetValues<ForecastMetric>();

    public static string MetricName(ForecastMetric metric) => metric switch
    {
        ForecastMetric.Submissions => "submissions",
        ForecastMetric.Completions => "completions",
        ForecastMetric.BusyAgentHours => "busyAgentHours",
        ForecastMetric.ErrorRate => "errorRate",
        _ => "scheduleToStartP95",
    };

    public static ForecastSeries? Parse(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var metricName = colon < 0 ? name : name[..colon];
        var capabilities = colon < 0 ? null : name[(colon + 1)..];
        var metric = Metrics.Where(each => MetricName(each) == metricName).Cast<ForecastMetric?>().FirstOrDefault();
        return metric is null || capabilities is { Length: 0 } ? null : new ForecastSeries(metric.Value, capabilities);
    }
}
