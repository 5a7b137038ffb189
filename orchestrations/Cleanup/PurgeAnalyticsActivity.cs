using Microsoft.DurableTask;
using Workforce.Core.Analytics;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of minute rollups past their retention (30 days by default).</summary>
public sealed class PurgeMinuteRollupsActivity(IAnalyticsStore store, AnalyticsOptions options, TimeProvider clock) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) =>
        store.PurgeRollupsAsync(RollupResolution.Minute, clock.GetUtcNow() - options.MinuteRetention, input);
}

/// <summary>Deletes a batch of hourly rollups past their retention (13 months by default).</summary>
public sealed class PurgeHourRollupsActivity(IAnalyticsStore store, AnalyticsOptions options, TimeProvider clock) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) =>
        store.PurgeRollupsAsync(RollupResolution.Hour, clock.GetUtcNow() - options.HourRetention, input);
}

/// <summary>
/// Deletes a batch of agents' full-resolution samples past the rolling hour, with the records of applied batches
/// (kept as long: a flush is retried within seconds, never an hour later).
/// </summary>
public sealed class PurgeAgentSamplesActivity(IAnalyticsStore store, AnalyticsOptions options, TimeProvider clock) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) =>
        store.PurgeSamplesAsync(clock.GetUtcNow() - options.AgentSampleRetention, input);
}
