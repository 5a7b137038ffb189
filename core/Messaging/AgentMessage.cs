namespace Workforce.Core.Messaging;

/// <summary>Who sent a message: one of the tenant's agents (its key was used), or the tenant itself (a tenant key).</summary>
public enum MessageSenderKind
{
    Tenant = 0,
    Agent = 1,
}

/// <param name="Id">The agent's id, or the tenant's id.</param>
public sealed record MessageSender(MessageSenderKind Kind, string Id)
{
    public static MessageSender From(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.AgentId is { } agentId
            ? new MessageSender(MessageSenderKind.Agent, agentId.ToString())
            : new MessageSender(MessageSenderKind.Tenant, caller.TenantId);
    }
}

/// <summary>
/// A message to one agent, kept until its receiver acknowledges it or it expires. A broadcast is fanned out when it
/// is sent into one message per receiver, each with its own id, all sharing the broadcast's id.
/// </summary>
public sealed record AgentMessage
{
    public const int MaxTypeLength = 200;

    public required Guid Id { get; init; }

    public required string TenantId { get; init; }

    public required string Type { get; init; }

    public required MessageSender Sender { get; init; }

    /// <summary>The receiving agent.</summary>
    public required Guid Receiver { get; init; }

    public RawJson? Payload { get; init; }

    /// <summary>When it was sent (the brief's <c>timestamp</c>).</summary>
    public required DateTimeOffset SentAt { get; init; }

    /// <summary>When it is dropped unacknowledged: not delivered after this, and purged by the cleanup job.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The id the broadcast this message is one delivery of was given; null for a direct message.</summary>
    public Guid? BroadcastId { get; init; }
}

/// <summary>
/// A message handed to its receiver: hidden from further receives until <see cref="VisibleUntil"/>, then handed out
/// again unless acknowledged by then (at-least-once delivery).
/// </summary>
/// <param name="Attempt">How many times it has been handed out, this time included (1 the first time).</param>
public sealed record DeliveredMessage(AgentMessage Message, int Attempt, DateTimeOffset VisibleUntil);
