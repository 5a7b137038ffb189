using Workforce.Core.Retention;
using Workforce.Orchestrations.Durable;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of finished orchestration instances and their histories.</summary>
public sealed class PurgeFinishedOrchestrationsActivity(IOrchestrationClient orchestrations, RetentionOptions retention, TimeProvider clock) : Activity<int, int>
{
    private static readonly OrchestrationRuntimeStatus[] Finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated, OrchestrationRuntimeStatus.Canceled];

    public override string Name => WorkflowNames.PurgeFinishedOrchestrations;

    public override async Task<int> RunAsync(ActivityContext context, int input)
    {
        var filter = new PurgeInstancesFilter(CreatedTo: clock.GetUtcNow() - retention.FinishedOrchestrations, Statuses: Finished) { Limit = input };
        return (await orchestrations.PurgeAllInstancesAsync(filter)).PurgedInstanceCount;
    }
}
