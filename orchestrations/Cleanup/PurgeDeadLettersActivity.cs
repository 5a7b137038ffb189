using Workforce.Core.Queues;
using Workforce.Core.Retention;
using Workforce.Orchestrations.Durable;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of dead-lettered messages older than the retention.</summary>
public sealed class PurgeDeadLettersActivity(IWorkQueues queues, RetentionOptions retention, TimeProvider clock) : Activity<int, int>
{
    public override string Name => WorkflowNames.PurgeDeadLetters;

    public override Task<int> RunAsync(ActivityContext context, int input) =>
        queues.PurgeDeadLettersAsync(clock.GetUtcNow() - retention.DeadLetters, input);
}
