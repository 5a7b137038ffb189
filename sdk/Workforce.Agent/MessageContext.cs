using System.Text.Json;

namespace Workforce.Agent;

/// <summary>Who sent a message: <c>agent</c> (its id is the agent's) or <c>tenant</c> (its id is the tenant's).</summary>
public sealed record MessageSender(string Kind, string Id);

/// <summary>What a message handler knows about the message it handles.</summary>
public sealed class MessageContext
{
    internal MessageContext(AgentMessage message)
    {
        MessageId = message.Id;
        Type = message.Type;
        Sender = message.Sender;
        Receiver = message.Receiver;
        Timestamp = message.Timestamp;
        Attempt = message.Delivery?.Attempt ?? 1;
        BroadcastId = message.BroadcastId;
        Payload = message.Payload;
    }

    /// <summary>This receiver's copy of the message; the SDK acknowledges it by this id once the handler succeeded.</summary>
    public Guid MessageId { get; }

    public string Type { get; }

    public MessageSender Sender { get; }

    /// <summary>The receiving agent (this one).</summary>
    public Guid Receiver { get; }

    /// <summary>When it was sent.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>1 on the first delivery; above 1 when an earlier delivery was not acknowledged (a handler threw, or the agent crashed).</summary>
    public int Attempt { get; }

    /// <summary>The broadcast this message is one receiver's copy of; null for a direct message.</summary>
    public Guid? BroadcastId { get; }

    /// <summary>The raw payload, for handlers that want more than the typed input.</summary>
    public JsonElement? Payload { get; }
}

/// <summary>A message as the server hands it out in a receive.</summary>
internal sealed record AgentMessage(
    Guid Id, string Type, MessageSender Sender, Guid Receiver, JsonElement? Payload, DateTimeOffset Timestamp, Guid? BroadcastId, MessageDelivery? Delivery);

internal sealed record MessageDelivery(int Attempt, DateTimeOffset VisibleUntil);

/// <summary>A message the agent sent: its id (per receiver), the receiver and, for a broadcast, the broadcast's id.</summary>
public sealed record SentMessage(Guid Id, Guid Receiver, Guid? BroadcastId);
