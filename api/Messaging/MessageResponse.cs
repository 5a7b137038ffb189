using System.Text.Json.Serialization;
using Workforce.Core;
using Workforce.Core.Messaging;

namespace Workforce.Api.Messaging;

/// <summary>A message as the API shows it: <c>{id, type, sender, receiver, payload, timestamp}</c>, and when received, its delivery.</summary>
/// <param name="Timestamp">When it was sent.</param>
/// <param name="ExpiresAt">When it is dropped if still unacknowledged.</param>
public sealed record MessageResponse(
    Guid Id,
    string Type,
    MessageSenderResponse Sender,
    Guid Receiver,
    RawJson? Payload,
    DateTimeOffset Timestamp,
    DateTimeOffset ExpiresAt)
{
    /// <summary>The broadcast this message is one receiver's copy of; absent for a direct message.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? BroadcastId { get; init; }

    /// <summary>Only in a receive: this delivery's attempt and lease.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MessageDeliveryResponse? Delivery { get; init; }

    public static MessageResponse From(AgentMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(message.Id, message.Type, MessageSenderResponse.From(message.Sender), message.Receiver, message.Payload, message.SentAt, message.ExpiresAt)
        {
            BroadcastId = message.BroadcastId,
        };
    }

    public static MessageResponse From(DeliveredMessage delivered)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        return From(delivered.Message) with { Delivery = new MessageDeliveryResponse(delivered.Attempt, delivered.VisibleUntil) };
    }
}

/// <param name="Kind"><c>agent</c> (sent with an agent key; id is the agent's) or <c>tenant</c> (a tenant key; id is the tenant's).</param>
public sealed record MessageSenderResponse(string Kind, string Id)
{
    public static MessageSenderResponse From(MessageSender sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return new(sender.Kind == MessageSenderKind.Agent ? "agent" : "tenant", sender.Id);
    }
}

/// <param name="Attempt">How many times the message has been handed out, this time included: above 1, an earlier receive did not acknowledge it in time.</param>
/// <param name="VisibleUntil">Until when no other receive gets it; acknowledge it before then, or it is delivered again.</param>
public sealed record MessageDeliveryResponse(int Attempt, DateTimeOffset VisibleUntil);

/// <summary>A batch of messages: those a broadcast sent, or those a receive leased (empty when none arrived within the wait).</summary>
public sealed record MessageBatchResponse(IReadOnlyList<MessageResponse> Items);
