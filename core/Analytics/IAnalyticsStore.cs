namespace Workforce.Core.Analytics;

/// <summary>
/// The kept history: rollups per minute and per hour, and the agents' samples of the last hour. Written only in
/// batches of increments (never by scanning tasks), read by range.
/// </summary>
public interface IAnalyticsStore
{
    /// <summary>
    /// Adds the batch's rollups to those stored (counters and histograms add, gauge peaks take the larger) and keeps
    /// its samples. A batch whose id was applied before is ignored, so a flush retried after a lost answer counts once.
    /// </summary>
    Task ApplyAsync(AnalyticsBatch batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// The tenant's rollups of the resolution that start in [<paramref name="from"/>, <paramref name="to"/>) and whose
    /// series starts with <paramref name="seriesPrefix"/>, ordered by start (series in any order within a start).
    /// </summary>
    IAsyncEnumerable<AnalyticsRollup> ReadRollupsAsync(
        string tenantId, RollupResolution resolution, string seriesPrefix, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The agent's samples taken in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    IAsyncEnumerable<AgentSample> ReadAgentSamplesAsync(string tenantId, Guid agentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="limit"/> rollups of any tenant of the resolution that started before the cutoff.</summary>
    /// <returns>How many were deleted; fewer than the limit means none are left.</returns>
    Task<int> PurgeRollupsAsync(RollupResolution resolution, DateTimeOffset before, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="limit"/> agent samples, and records of applied batches, older than the cutoff.</summary>
    Task<int> PurgeSamplesAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default);
}
