using Workforce.Core.Agents;
using Workforce.Core.Tasks;

namespace Workforce.Core.Analytics;

/// <summary>
/// Counts what happens on this node, as it happens, into per-minute and per-hour rollups held in memory until
/// <see cref="FlushAnalytics"/> writes them: task transitions once they commit (it observes the change feed), API
/// calls once they are metered, agents' heartbeat metrics. Nothing here reads the store, so upkeep costs a few
/// dictionary updates per change.
/// </summary>
public sealed class AnalyticsRecorder(AnalyticsOptions options) : ITaskObserver
{
    private static readonly RollupResolution[] Resolutions = [RollupResolution.Minute, RollupResolution.Hour];

    private readonly Dictionary<string, TenantRollups> _tenants = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void OnCommitted(IReadOnlyList<TaskTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        if (!options.Enabled)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var transition in transitions)
            {
                if (transition.Type is not null)
                {
                    Record(TenantOf(transition.TenantId), transition);
                }
            }
        }
    }

    public void RecordApiCalls(string tenantId, long calls, DateTimeOffset at)
    {
        if (!options.Enabled)
        {
            return;
        }

        lock (_gate)
        {
            var tenant = TenantOf(tenantId);
            foreach (var resolution in Resolutions)
            {
                tenant.Values(AnalyticsSeries.Gauges, resolution, at).Increment(AnalyticsValues.ApiCalls, calls);
            }
        }
    }

    public void RecordAgentMetrics(string tenantId, Guid agentId, AgentMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (!options.Enabled)
        {
            return;
        }

        lock (_gate)
        {
            var tenant = TenantOf(tenantId);
            var series = AnalyticsSeries.Agent(agentId);
            foreach (var resolution in Resolutions)
            {
                var values = tenant.Values(series, resolution, metrics.ReportedAt);
                values.Sample(AnalyticsValues.CpuCentiPercent, (long)Math.Round(metrics.CpuPercent * 100));
                values.Sample(AnalyticsValues.MemoryMb, (long)Math.Round(metrics.MemoryMb));
                values.Sample(AnalyticsValues.Threads, metrics.ThreadCount);
            }

            tenant.Samples.Add(new AgentSample(agentId, metrics.ReportedAt, metrics.CpuPercent, metrics.MemoryMb, metrics.ThreadCount));
        }
    }

    /// <summary>Hands over everything counted since the last call, one batch per tenant, and starts counting afresh.</summary>
    public IReadOnlyList<AnalyticsBatch> Drain(Func<string> nextBatchId)
    {
        ArgumentNullException.ThrowIfNull(nextBatchId);
        lock (_gate)
        {
            var drained = _tenants
                .Where(tenant => tenant.Value.HasAny)
                .Select(tenant => new AnalyticsBatch(tenant.Key, nextBatchId(), tenant.Value.TakeRollups(), tenant.Value.Samples))
                .ToList();
            _tenants.Clear();
            return drained;
        }
    }

    private void Record(TenantRollups tenant, TaskTransition transition)
    {
        var type = tenant.TrackedType(transition.Type!, options.MaxTypesPerTenant);
        var breakdown = AnalyticsSeries.TasksOf(transition.Priority, type);
        var capabilities = tenant.TrackedCapabilitySet(AnalyticsSeries.CapabilitySet(transition.Capabilities), options.MaxTypesPerTenant);
        foreach (var resolution in Resolutions)
        {
            Count(tenant.Values(AnalyticsSeries.Tasks, resolution, transition.At), transition);
            Count(tenant.Values(breakdown, resolution, transition.At), transition);
            Count(tenant.Values(capabilities, resolution, transition.At), transition);
            if (transition.AgentId is { } agentId && EndsAttempt(transition))
            {
                Count(tenant.Values(AnalyticsSeries.Agent(agentId), resolution, transition.At), transition);
            }
        }
    }

    private static bool EndsAttempt(TaskTransition transition) => transition.From?.HoldsAgent() == true && !transition.To.HoldsAgent();

    private static void Count(RollupValues values, TaskTransition transition)
    {
        switch (transition.From, transition.To)
        {
            case (null, _):
                values.Increment(AnalyticsValues.Submitted);
                break;
            case (TaskState.Pending, TaskState.Assigned) when transition.InStateFor is { } waited:
                values.Observe(AnalyticsValues.ScheduleToStart, waited);
                break;
        }

        if (transition.From == TaskState.Running && transition.InStateFor is { } ran)
        {
            values.Observe(AnalyticsValues.RunTime, ran);
            values.Increment(AnalyticsValues.BusyMs, (long)ran.TotalMilliseconds);
        }

        switch (transition.To)
        {
            case TaskState.Completed:
                values.Increment(AnalyticsValues.Completed);
                break;
            case TaskState.Failed:
                values.Increment(AnalyticsValues.Failed);
                break;
            case TaskState.Cancelled:
                values.Increment(AnalyticsValues.Cancelled);
                break;
            case TaskState.Pending when transition.From?.HoldsAgent() == true:
                values.Increment(AnalyticsValues.Retried);
                break;
        }
    }

    private TenantRollups TenantOf(string tenantId)
    {
        if (!_tenants.TryGetValue(tenantId, out var tenant))
        {
            _tenants[tenantId] = tenant = new TenantRollups();
        }

        return tenant;
    }

    private sealed class TenantRollups
    {
        private readonly Dictionary<(string Series, RollupResolution Resolution, DateTimeOffset Start), RollupValues> _rollups = [];
        private readonly HashSet<string> _types = new(StringComparer.Ordinal);
        private readonly HashSet<string> _capabilitySets = new(StringComparer.Ordinal);

        public List<AgentSample> Samples { get; } = [];

        public bool HasAny => _rollups.Count > 0 || Samples.Count > 0;

        public RollupValues Values(string series, RollupResolution resolution, DateTimeOffset at)
        {
            var key = (series, resolution, AnalyticsRollup.StartOf(resolution, at));
            if (!_rollups.TryGetValue(key, out var values))
            {
                _rollups[key] = values = new RollupValues();
            }

            return values;
        }

        public string TrackedType(string type, int limit) => Tracked(_types, type, limit, AnalyticsOptions.OtherTypes);

        public string TrackedCapabilitySet(string series, int limit) =>
            Tracked(_capabilitySets, series, limit, AnalyticsSeries.CapabilitySetPrefix + AnalyticsOptions.OtherTypes);

        private static string Tracked(HashSet<string> seen, string name, int limit, string other) =>
            seen.Contains(name) || (seen.Count < limit && seen.Add(name)) ? name : other;

        public IReadOnlyList<AnalyticsRollup> TakeRollups() =>
            [.. _rollups.Select(rollup => new AnalyticsRollup(rollup.Key.Series, rollup.Key.Resolution, rollup.Key.Start, rollup.Value))];
    }
}
