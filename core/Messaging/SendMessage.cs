using Workforce.Core.Storage;

namespace Workforce.Core.Messaging;

public sealed record SendMessageCommand(string? Type, RawJson? Payload = null);

/// <summary>
/// Sends a message to one agent of the tenant. A tenant key sends as the tenant; an agent key sends as its agent
/// (to any agent of the tenant, itself included).
/// </summary>
public sealed class SendMessage(IWorkforceStore store, MessageDispatch dispatch)
{
    public async Task<Outcome<AgentMessage>> ExecuteAsync(Caller caller, Guid receiver, SendMessageCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (MessageDispatch.Check(command.Type, command.Payload) is { } invalid)
        {
            return invalid;
        }

        if (await store.FindAgentAsync(caller.TenantId, receiver, cancellationToken) is null)
        {
            return Failure.NotFound($"Agent {receiver}");
        }

        var now = dispatch.Clock.GetUtcNow();
        var message = dispatch.Compose(caller, receiver, command.Type!, command.Payload, now);
        var outcome = await dispatch.DispatchAsync(caller.TenantId, [message], now, cancellationToken);
        return outcome.Succeeded ? message : outcome.Failure!;
    }
}
