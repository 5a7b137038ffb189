using Microsoft.DurableTask;
using Workforce.Core.Messaging;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of agent messages that were acknowledged, or expired unacknowledged (<see cref="MessagingOptions.Retention"/> after they were sent).</summary>
public sealed class PurgeMessagesActivity(IMessageStore messages, TimeProvider clock) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) =>
        messages.PurgeAsync(clock.GetUtcNow(), input);
}
