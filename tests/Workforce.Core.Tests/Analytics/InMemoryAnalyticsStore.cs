using System.Runtime.CompilerServices;
using Workforce.Core.Analytics;

namespace Workforce.Core.Tests;

/// <summary>The analytics port over dictionaries, with the store's rules: merge on apply, a batch id counts once.</summary>
internal sealed class InMemoryAnalyticsStore : IAnalyticsStore
{
    private readonly Dictionary<(string Tenant, RollupResolution Resolution, DateTimeOffset Start, string Series), RollupValues> _rollups = [];
    private readonly List<(string Tenant, AgentSample Sample)> _samples = [];
    private readonly HashSet<(string Tenant, string Id)> _applied = [];
    private readonly Lock _gate = new();

    public int AppliedBatches { get { lock (_gate) { return _applied.Count; } } }

    public Task ApplyAsync(AnalyticsBatch batch, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_applied.Add((batch.TenantId, batch.Id)))
            {
                return Task.CompletedTask;
            }

            foreach (var rollup in batch.Rollups)
            {
                var key = (batch.TenantId, rollup.Resolution, rollup.Start, rollup.Series);
                if (!_rollups.TryGetValue(key, out var values))
                {
                    _rollups[key] = values = new RollupValues();
                }

                // Through the stored form, as a real adapter keeps it.
                values.Merge(RollupValues.FromJson(rollup.Values.ToJson()));
            }

            _samples.AddRange(batch.AgentSamples.Select(sample => (batch.TenantId, sample)));
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<AnalyticsRollup> ReadRollupsAsync(
        string tenantId, RollupResolution resolution, string seriesPrefix, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<AnalyticsRollup> found;
        lock (_gate)
        {
            found = [.. _rollups
                .Where(entry => entry.Key.Tenant == tenantId && entry.Key.Resolution == resolution && entry.Key.Start >= from && entry.Key.Start < to
                    && entry.Key.Series.StartsWith(seriesPrefix, StringComparison.Ordinal))
                .OrderBy(entry => entry.Key.Start)
                .Select(entry => new AnalyticsRollup(entry.Key.Series, resolution, entry.Key.Start, RollupValues.FromJson(entry.Value.ToJson())))];
        }

        foreach (var rollup in found)
        {
            await Task.Yield();
            yield return rollup;
        }
    }

    public async IAsyncEnumerable<AgentSample> ReadAgentSamplesAsync(
        string tenantId, Guid agentId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<AgentSample> found;
        lock (_gate)
        {
            found = [.. _samples.Where(entry => entry.Tenant == tenantId && entry.Sample.AgentId == agentId && entry.Sample.At >= from && entry.Sample.At < to)
                .Select(entry => entry.Sample).OrderBy(sample => sample.At)];
        }

        foreach (var sample in found)
        {
            await Task.Yield();
            yield return sample;
        }
    }

    public Task<int> PurgeRollupsAsync(RollupResolution resolution, DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var doomed = _rollups.Keys.Where(key => key.Resolution == resolution && key.Start < before).Take(limit).ToList();
            doomed.ForEach(key => _rollups.Remove(key));
            return Task.FromResult(doomed.Count);
        }
    }

    public Task<int> PurgeSamplesAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var doomed = _samples.Where(entry => entry.Sample.At < before).Take(limit).ToList();
            doomed.ForEach(entry => _samples.Remove(entry));
            return Task.FromResult(doomed.Count);
        }
    }
}

/// <summary>A server that always reports the same resource use.</summary>
internal sealed class FixedSystemMetrics(TimeProvider clock) : ISystemMetrics
{
    public SystemSample Read() => new("test-node", clock.GetUtcNow(), 12.5, 256, 64, 20, 1_000, 2_000, TimeSpan.FromMinutes(5));
}
