using Microsoft.DurableTask;
using Workforce.Core.Queues;
using Workforce.Core.Retention;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of dead-lettered messages older than the retention.</summary>
public sealed class PurgeDeadLettersActivity(IWorkQueues queues, RetentionOptions retention, TimeProvider clock) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) =>
        queues.PurgeDeadLettersAsync(clock.GetUtcNow() - retention.DeadLetters, input);
}
