using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workforce.Core.Retention;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>
/// Deletes a batch of orchestration instances that finished longer ago than the retention, with their histories.
/// Durable Task purges by filter without a bound, so the batch is one page of finished instances, purged one by one.
/// </summary>
public sealed class PurgeFinishedOrchestrationsActivity(DurableTaskClient orchestrations, RetentionOptions retention, TimeProvider clock) : TaskActivity<int, int>
{
    private static readonly OrchestrationRuntimeStatus[] Finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    public override async Task<int> RunAsync(TaskActivityContext context, int input)
    {
        var query = new OrchestrationQuery(CreatedTo: clock.GetUtcNow() - retention.FinishedOrchestrations, Statuses: Finished, PageSize: input);
        var purged = 0;
        await foreach (var page in orchestrations.GetAllInstancesAsync(query).AsPages(pageSizeHint: input))
        {
            foreach (var instance in page.Values)
            {
                purged += (await orchestrations.PurgeInstanceAsync(instance.InstanceId)).PurgedInstanceCount;
            }

            break;
        }

        return purged;
    }
}
