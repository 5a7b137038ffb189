using Workforce.Core.Storage;

namespace Workforce.Core.Analytics;

public sealed record AgentMetricsQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, TimeSpan? Step = null);

/// <summary>An agent's reported resource use over one step (or at one heartbeat); nulls when it reported nothing then.</summary>
public sealed record AgentMetricsPoint(DateTimeOffset At, double? CpuPercent, double? MemoryMb, double? ThreadCount, long Samples);

/// <param name="Step">Null when the points are the heartbeats themselves, at full resolution.</param>
/// <param name="Average">Over the whole range.</param>
public sealed record AgentMetricsHistory(Guid AgentId, DateTimeOffset From, DateTimeOffset To, TimeSpan? Step, IReadOnlyList<AgentMetricsPoint> Points, AgentMetricsPoint Average);

/// <summary>
/// The CPU, memory and threads an agent reported: every heartbeat of the last hour at full resolution (when no step,
/// or a step under a minute, is asked for), or minute and hour averages kept for the retention of those rollups.
/// </summary>
public sealed class QueryAgentMetrics(IWorkforceStore store, IAnalyticsStore analytics, AnalyticsOptions options, TimeProvider clock)
{
    public async Task<Outcome<AgentMetricsHistory>> ExecuteAsync(Caller caller, Guid agentId, AgentMetricsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(query);
        if (!caller.MayActAs(agentId))
        {
            return Failures.NotYourAgent;
        }

        if (await store.FindAgentAsync(caller.TenantId, agentId, cancellationToken) is null)
        {
            return Failure.NotFound($"Agent {agentId}");
        }

        var now = clock.GetUtcNow();
        if (query.Step is null or { TotalMinutes: < 1 } && (query.From ?? now) >= now - options.AgentSampleRetention)
        {
            return await FromSamplesAsync(caller.TenantId, agentId, query, now, cancellationToken);
        }

        if (query.Step is { TotalMinutes: < 1 })
        {
            return Failure.Invalid("step", $"Heartbeats are kept at full resolution for {options.AgentSampleRetention.TotalMinutes:0} minutes; for older data use a step of whole minutes.");
        }

        var resolved = AnalyticsRange.Resolve(query.From, query.To, query.Step, now, options);
        if (resolved.Value is not { } range)
        {
            return resolved.Failure!;
        }

        var steps = await range.ReadAsync(analytics, caller.TenantId, AnalyticsSeries.Agent(agentId), cancellationToken: cancellationToken);
        var total = new RollupValues();
        foreach (var step in steps)
        {
            total.Merge(step);
        }

        return new AgentMetricsHistory(agentId, range.From, range.To, range.Step, [.. steps.Select((values, i) => PointOf(range.PointAt(i), values))], PointOf(range.From, total));
    }

    private async Task<Outcome<AgentMetricsHistory>> FromSamplesAsync(string tenantId, Guid agentId, AgentMetricsQuery query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var to = query.To ?? now;
        var from = query.From ?? now - options.AgentSampleRetention;
        if (from >= to)
        {
            return Failure.Invalid("from", "from must be before to.");
        }

        var step = query.Step is { } asked && asked > TimeSpan.Zero ? asked : (TimeSpan?)null;
        if (step is { } length && (to - from) / length > AnalyticsRange.MaxPoints)
        {
            return Failure.Invalid("step", $"At most {AnalyticsRange.MaxPoints} points are returned; use a larger step.");
        }

        var points = new List<AgentMetricsPoint>();
        var buckets = new SortedDictionary<DateTimeOffset, RollupValues>();
        var total = new RollupValues();
        await foreach (var sample in analytics.ReadAgentSamplesAsync(tenantId, agentId, from, to, cancellationToken))
        {
            var values = new RollupValues();
            values.Sample(AnalyticsValues.CpuCentiPercent, (long)Math.Round(sample.CpuPercent * 100));
            values.Sample(AnalyticsValues.MemoryMb, (long)Math.Round(sample.MemoryMb));
            values.Sample(AnalyticsValues.Threads, sample.ThreadCount);
            total.Merge(values);
            if (step is { } each)
            {
                var start = from + (each * Math.Floor((sample.At - from) / each));
                if (!buckets.TryGetValue(start, out var bucket))
                {
                    buckets[start] = bucket = new RollupValues();
                }

                bucket.Merge(values);
            }
            else
            {
                points.Add(new AgentMetricsPoint(sample.At, sample.CpuPercent, sample.MemoryMb, sample.ThreadCount, 1));
            }
        }

        if (step is not null)
        {
            points.AddRange(buckets.Select(bucket => PointOf(bucket.Key, bucket.Value)));
        }

        return new AgentMetricsHistory(agentId, from, to, step, points, PointOf(from, total));
    }

    private static AgentMetricsPoint PointOf(DateTimeOffset at, RollupValues values) => new(
        at,
        values.Average(AnalyticsValues.CpuCentiPercent) / 100,
        values.Average(AnalyticsValues.MemoryMb),
        values.Average(AnalyticsValues.Threads),
        values.SampleCount(AnalyticsValues.Threads));
}
