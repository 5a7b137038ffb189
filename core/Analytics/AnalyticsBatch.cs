namespace Workforce.Core.Analytics;

/// <summary>
/// Increments to one tenant's history, gathered by one node since its last flush. Its id (node and sequence, or the
/// sampled minute) makes a retried or repeated flush count once.
/// </summary>
public sealed record AnalyticsBatch(string TenantId, string Id, IReadOnlyList<AnalyticsRollup> Rollups, IReadOnlyList<AgentSample> AgentSamples);

/// <summary>One heartbeat's metrics as the agent reported them: the rolling hour kept at full resolution.</summary>
public sealed record AgentSample(Guid AgentId, DateTimeOffset At, double CpuPercent, double MemoryMb, int ThreadCount);
