using Workforce.Core.Retention;
using Workforce.Core.Storage;
using Workforce.Orchestrations.Durable;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of tasks (and their history) that finished longer ago than the retention.</summary>
public sealed class PurgeFinishedTasksActivity(IWorkforceStore store, RetentionOptions retention, TimeProvider clock) : Activity<int, int>
{
    public override string Name => WorkflowNames.PurgeFinishedTasks;

    public override Task<int> RunAsync(ActivityContext context, int input) =>
        store.PurgeFinishedTasksAsync(clock.GetUtcNow() - retention.FinishedTasks, input);
}
