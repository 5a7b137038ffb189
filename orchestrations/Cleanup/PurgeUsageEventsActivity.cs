using Microsoft.DurableTask;
using Workforce.Core.Plans;
using Workforce.Core.Storage;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>
/// Deletes a batch of usage events older than a billing period and its grace window: by then no repeat of them can
/// arrive, and their period's counters hold what they counted.
/// </summary>
public sealed class PurgeUsageEventsActivity(IWorkforceStore store, BillingOptions options, TimeProvider clock) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) =>
        store.PurgeUsageEventsAsync(clock.GetUtcNow() - options.PeriodLength - options.GracePeriod, input);
}
