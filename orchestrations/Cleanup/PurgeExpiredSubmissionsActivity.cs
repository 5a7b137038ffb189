using Microsoft.DurableTask;
using Workforce.Core.Storage;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of idempotency records past their window.</summary>
public sealed class PurgeExpiredSubmissionsActivity(IWorkforceStore store, TimeProvider clock) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) => store.PurgeExpiredSubmissionsAsync(clock.GetUtcNow(), input);
}
