using Workforce.Core.Analytics;

namespace Workforce.Api.Analytics;

public sealed record AnalyticsSeriesResponse(string Metric, string Unit, DateTimeOffset From, DateTimeOffset To, long StepSeconds, IReadOnlyList<AnalyticsPoint> Points)
{
    public static AnalyticsSeriesResponse Of(AnalyticsSeriesResult series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return new(series.Metric, series.Unit, series.From, series.To, (long)series.Step.TotalSeconds, series.Points);
    }
}

/// <summary>Column-wise: <c>timestamps</c> in Unix seconds, and one value (or null) per timestamp in each series.</summary>
public sealed record VisualizationResponse(
    string Range, DateTimeOffset From, DateTimeOffset To, long StepSeconds, IReadOnlyList<long> Timestamps, IReadOnlyDictionary<string, IReadOnlyList<double?>> Series)
{
    public static VisualizationResponse Of(Visualization visualization)
    {
        ArgumentNullException.ThrowIfNull(visualization);
        return new(visualization.Range, visualization.From, visualization.To, (long)visualization.Step.TotalSeconds, visualization.Timestamps, visualization.Series);
    }
}

/// <param name="StepSeconds">Null when the points are the heartbeats themselves.</param>
public sealed record AgentMetricsHistoryResponse(
    Guid AgentId, DateTimeOffset From, DateTimeOffset To, long? StepSeconds, IReadOnlyList<AgentMetricsPoint> Points, AgentMetricsPoint Average)
{
    public static AgentMetricsHistoryResponse Of(AgentMetricsHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new(history.AgentId, history.From, history.To, history.Step is { } step ? (long)step.TotalSeconds : null, history.Points, history.Average);
    }
}
