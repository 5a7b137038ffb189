using Workforce.Core.Tasks;

namespace Workforce.Core.Analytics;

public sealed record Percentiles(double? P50, double? P95, double? P99)
{
    public static Percentiles Of(LatencyHistogram? histogram) =>
        new(histogram?.Quantile(0.50), histogram?.Quantile(0.95), histogram?.Quantile(0.99));
}

public sealed record TaskTotals(long Submitted, long Completed, long Failed, long Cancelled, long Retried, double? ErrorRate, double ThroughputPerMinute);

/// <param name="PeakDepth">The highest of the steps' average depths.</param>
public sealed record QueueSummary(double? AverageDepth, double? PeakDepth);

public sealed record AgentSummary(double? AverageOnline, long? PeakOnline, double? Utilisation);

public sealed record TypeSummary(string Type, TaskPriority Priority, long Submitted, long Completed, long Failed, double? ErrorRate, Percentiles RunTime);

public sealed record AnalyticsSummary(
    DateTimeOffset From,
    DateTimeOffset To,
    TaskTotals Tasks,
    Percentiles ScheduleToStart,
    Percentiles RunTime,
    QueueSummary Queue,
    AgentSummary Agents,
    long ApiCalls,
    IReadOnlyList<TypeSummary> ByType);

/// <summary>The tenant's totals over a range, overall and per task type and priority: the head of a monthly review.</summary>
public sealed class QueryAnalyticsSummary(IAnalyticsStore store, AnalyticsOptions options, TimeProvider clock)
{
    public async Task<Outcome<AnalyticsSummary>> ExecuteAsync(Caller caller, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var resolved = AnalyticsRange.Resolve(from, to, null, clock.GetUtcNow(), options);
        if (resolved.Value is not { } range)
        {
            return resolved.Failure!;
        }

        return await SummariseAsync(caller.TenantId, range, cancellationToken);
    }

    /// <summary>The summary over a range already checked (reports reuse it).</summary>
    public async Task<AnalyticsSummary> SummariseAsync(string tenantId, AnalyticsRange range, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        var totals = new RollupValues();
        var byType = new Dictionary<string, RollupValues>(StringComparer.Ordinal);
        await foreach (var rollup in store.ReadRollupsAsync(tenantId, range.Resolution, AnalyticsSeries.TaskBreakdown, range.From, range.To, cancellationToken))
        {
            if (!byType.TryGetValue(rollup.Series, out var values))
            {
                byType[rollup.Series] = values = new RollupValues();
            }

            values.Merge(rollup.Values);
            totals.Merge(rollup.Values);
        }

        var gaugeSteps = await range.ReadAsync(store, tenantId, AnalyticsSeries.Gauges, cancellationToken: cancellationToken);
        var gauges = new RollupValues();
        foreach (var step in gaugeSteps)
        {
            gauges.Merge(step);
        }

        var stepDepths = gaugeSteps.Select(step => AnalyticsMetrics.QueueDepth(step, null)).Where(depth => depth is not null).ToList();
        return new AnalyticsSummary(
            range.From,
            range.To,
            new TaskTotals(
                totals.Counter(AnalyticsValues.Submitted),
                totals.Counter(AnalyticsValues.Completed),
                totals.Counter(AnalyticsValues.Failed),
                totals.Counter(AnalyticsValues.Cancelled),
                totals.Counter(AnalyticsValues.Retried),
                AnalyticsMetrics.ErrorRate(totals),
                totals.Counter(AnalyticsValues.Completed) / (range.To - range.From).TotalMinutes),
            Percentiles.Of(totals.Histogram(AnalyticsValues.ScheduleToStart)),
            Percentiles.Of(totals.Histogram(AnalyticsValues.RunTime)),
            new QueueSummary(AnalyticsMetrics.QueueDepth(gauges, null), stepDepths.Count == 0 ? null : stepDepths.Max()),
            new AgentSummary(gauges.Average(AnalyticsValues.AgentsOnline), gauges.Peak(AnalyticsValues.AgentsOnline), AnalyticsMetrics.Utilisation(gauges)),
            gauges.Counter(AnalyticsValues.ApiCalls),
            [.. byType
                .Select(entry => AnalyticsSeries.TryParseBreakdown(entry.Key, out var priority, out var type)
                    ? new TypeSummary(type, priority, entry.Value.Counter(AnalyticsValues.Submitted), entry.Value.Counter(AnalyticsValues.Completed),
                        entry.Value.Counter(AnalyticsValues.Failed), AnalyticsMetrics.ErrorRate(entry.Value), Percentiles.Of(entry.Value.Histogram(AnalyticsValues.RunTime)))
                    : null)
                .OfType<TypeSummary>()
                .OrderByDescending(summary => summary.Submitted)
                .ThenBy(summary => summary.Type, StringComparer.Ordinal)
                .ThenByDescending(summary => summary.Priority)]);
    }
}
