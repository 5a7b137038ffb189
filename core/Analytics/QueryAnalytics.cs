using Workforce.Core.Tasks;

namespace Workforce.Core.Analytics;

/// <param name="Type">Only tasks of this type (task metrics).</param>
/// <param name="Priority">Only tasks of this priority (task metrics and queue depth).</param>
/// <param name="AgentId">Only attempts this agent ended (task metrics but submissions and schedule-to-start, which happen before an agent has the task).</param>
public sealed record AnalyticsQuery(
    string Metric, DateTimeOffset? From = null, DateTimeOffset? To = null, TimeSpan? Step = null, string? Type = null, TaskPriority? Priority = null, Guid? AgentId = null);

public sealed record AnalyticsPoint(DateTimeOffset At, double? Value);

public sealed record AnalyticsSeriesResult(string Metric, string Unit, DateTimeOffset From, DateTimeOffset To, TimeSpan Step, IReadOnlyList<AnalyticsPoint> Points);

/// <summary>One metric of the tenant's history as a series of steps, read from the rollups.</summary>
public sealed class QueryAnalytics(IAnalyticsStore store, AnalyticsOptions options, TimeProvider clock)
{
    public async Task<Outcome<AnalyticsSeriesResult>> ExecuteAsync(Caller caller, AnalyticsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(query);
        if (AnalyticsMetrics.Find(query.Metric) is not { } metric)
        {
            return Failure.Invalid("metric", $"Unknown metric '{query.Metric}'. Metrics: {string.Join(", ", AnalyticsMetrics.All.Select(each => each.Name))}.");
        }

        var resolved = AnalyticsRange.Resolve(query.From, query.To, query.Step, clock.GetUtcNow(), options);
        if (resolved.Value is not { } range)
        {
            return resolved.Failure!;
        }

        if (metric.Source == MetricSource.Gauges && (query.Type is not null || query.AgentId is not null))
        {
            return Failure.Invalid(query.Type is null ? "agentId" : "type", $"{metric.Name} is a tenant-wide level; type and agentId filter task metrics only.");
        }

        if (query.AgentId is not null && (query.Type is not null || query.Priority is not null))
        {
            return Failure.Invalid("agentId", "An agent's history is kept across types and priorities; filter by agentId or by type and priority.");
        }

        var steps = await ReadStepsAsync(caller.TenantId, metric, range, query, cancellationToken);
        var points = steps.Select((values, i) => new AnalyticsPoint(range.PointAt(i), metric.Read(values, range.Step, query.Priority))).ToList();
        return new AnalyticsSeriesResult(metric.Name, metric.Unit, range.From, range.To, range.Step, points);
    }

    private Task<RollupValues[]> ReadStepsAsync(string tenantId, AnalyticsMetric metric, AnalyticsRange range, AnalyticsQuery query, CancellationToken cancellationToken)
    {
        if (metric.Source == MetricSource.Gauges)
        {
            return range.ReadAsync(store, tenantId, AnalyticsSeries.Gauges, cancellationToken: cancellationToken);
        }

        if (query.AgentId is { } agentId)
        {
            return range.ReadAsync(store, tenantId, AnalyticsSeries.Agent(agentId), cancellationToken: cancellationToken);
        }

        if (query.Type is null && query.Priority is null)
        {
            return range.ReadAsync(store, tenantId, AnalyticsSeries.Tasks, cancellationToken: cancellationToken);
        }

        var prefix = query.Priority is { } priority ? AnalyticsSeries.TasksOf(priority) : AnalyticsSeries.TaskBreakdown;
        return range.ReadAsync(store, tenantId, prefix,
            series => query.Type is null || (AnalyticsSeries.TryParseBreakdown(series, out _, out var type) && type == query.Type),
            cancellationToken);
    }
}
