namespace Workforce.Core.Messaging;

/// <summary>
/// Acknowledges a message its receiver has handled, so it is not delivered again (cleanup deletes it). Idempotent:
/// acknowledging again, or after the lease ran out, succeeds. Only the receiving agent's own key acknowledges.
/// </summary>
public sealed class AcknowledgeMessage(IMessageStore messages, TimeProvider clock)
{
    public async Task<Outcome<bool>> ExecuteAsync(Caller caller, Guid agentId, Guid messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.AgentId != agentId)
        {
            return caller.IsAgent ? Failures.NotYourAgent : MessageDispatch.OnlyTheAgentReceives;
        }

        return await messages.AcknowledgeAsync(caller.TenantId, agentId, messageId, clock.GetUtcNow(), cancellationToken)
            ? true
            : Failure.NotFound($"Message {messageId} of agent {agentId}");
    }
}
