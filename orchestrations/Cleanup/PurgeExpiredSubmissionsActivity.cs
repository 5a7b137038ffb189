using Workforce.Core.Storage;
using Workforce.Orchestrations.Durable;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of idempotency records past their window.</summary>
public sealed class PurgeExpiredSubmissionsActivity(IWorkforceStore store, TimeProvider clock) : Activity<int, int>
{
    public override string Name => WorkflowNames.PurgeExpiredSubmissions;

    public override Task<int> RunAsync(ActivityContext context, int input) => store.PurgeExpiredSubmissionsAsync(clock.GetUtcNow(), input);
}
