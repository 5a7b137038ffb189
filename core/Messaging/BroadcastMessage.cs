using Workforce.Core.Agents;
using Workforce.Core.Storage;

namespace Workforce.Core.Messaging;

/// <summary>Which of the tenant's agents a broadcast reaches: those with the role and the capability named (either, both, or every agent).</summary>
public sealed record MessageAudience(AgentRole? Role = null, string? Capability = null);

public sealed record BroadcastMessageCommand(string? Type, RawJson? Payload = null, MessageAudience? To = null);

/// <summary>
/// Sends a message to every agent of the tenant that matches the audience, the sender excluded. It is fanned out
/// when sent: each receiver gets its own message (own id, own acknowledgement) and agents registered later get none.
/// All are kept or, when an inbox is full, none.
/// </summary>
public sealed class BroadcastMessage(IWorkforceStore store, MessageDispatch dispatch, MessagingOptions options)
{
    public async Task<Outcome<IReadOnlyList<AgentMessage>>> ExecuteAsync(Caller caller, BroadcastMessageCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        var audience = command.To ?? new MessageAudience();
        if (MessageDispatch.Check(command.Type, command.Payload) is { } invalid)
        {
            return invalid;
        }

        if (audience.Role is { } role && !Enum.IsDefined(role))
        {
            return Failure.Invalid("to.role", "role must be one of operational, tactical, strategic.");
        }

        if (audience.Capability is { } capability && Capabilities.Check([capability]) is { } capabilityError)
        {
            return Failure.Invalid("to.capability", capabilityError);
        }

        var receivers = await ReceiversAsync(caller, audience, cancellationToken);
        if (receivers.Count > options.MaxBroadcastReceivers)
        {
            return Failure.Invalid("to", $"The broadcast matches more than {options.MaxBroadcastReceivers} agents; narrow it with role or capability.");
        }

        var now = dispatch.Clock.GetUtcNow();
        var broadcastId = Guid.CreateVersion7(now);
        var messages = receivers.Select(receiver => dispatch.Compose(caller, receiver, command.Type!, command.Payload, now, broadcastId)).ToList();
        return await dispatch.DispatchAsync(caller.TenantId, messages, now, cancellationToken);
    }

    private async Task<List<Guid>> ReceiversAsync(Caller caller, MessageAudience audience, CancellationToken cancellationToken)
    {
        var filter = new AgentFilter(Capability: audience.Capability?.Trim().ToLowerInvariant());
        var receivers = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await store.ListAgentsAsync(caller.TenantId, filter, new PageRequest(PageRequest.MaxLimit, cursor), cancellationToken);
            receivers.AddRange(page.Items
                .Where(agent => (audience.Role is null || agent.Role == audience.Role) && agent.Id != caller.AgentId)
                .Select(agent => agent.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null && receivers.Count <= options.MaxBroadcastReceivers);

        return receivers;
    }
}
