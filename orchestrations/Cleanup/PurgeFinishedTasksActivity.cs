using Microsoft.DurableTask;
using Workforce.Core.Retention;
using Workforce.Core.Storage;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of tasks (and their history) that finished longer ago than the retention.</summary>
public sealed class PurgeFinishedTasksActivity(IWorkforceStore store, RetentionOptions retention, TimeProvider clock) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) =>
        store.PurgeFinishedTasksAsync(clock.GetUtcNow() - retention.FinishedTasks, input);
}
