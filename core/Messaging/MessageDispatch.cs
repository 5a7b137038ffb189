using Microsoft.Extensions.Logging;
using Workforce.Core.Tasks;

namespace Workforce.Core.Messaging;

/// <summary>What a direct send and a broadcast share: checking the message, keeping it in the receivers' inboxes and waking their receives.</summary>
public sealed partial class MessageDispatch(IMessageStore store, MessageAvailability availability, MessagingOptions options, TimeProvider clock, ILogger<MessageDispatch> logger)
{
    public const string InboxFullType = "https://workforce.dev/problems/inbox-full";

    public static readonly Failure OnlyTheAgentReceives = Failure.Forbidden(
        "Only the agent's own key receives and acknowledges its messages; use the agentKey issued when it was registered.");

    public TimeProvider Clock => clock;

    /// <returns>Why the type or payload is unacceptable, or null.</returns>
    public static Failure? Check(string? type, RawJson? payload)
    {
        if (payload is { } body && body.Utf8Length > WorkTask.MaxPayloadBytes)
        {
            return new Failure(FailureKind.TooLarge, $"The payload is {body.Utf8Length / 1024} KiB; the limit is {WorkTask.MaxPayloadBytes / 1024} KiB.");
        }

        return string.IsNullOrWhiteSpace(type) || type.Trim().Length > AgentMessage.MaxTypeLength
            ? Failure.Invalid("type", $"Give the message a type of 1 to {AgentMessage.MaxTypeLength} characters, e.g. task_assignment.")
            : null;
    }

    /// <summary>One message to <paramref name="receiver"/>, sent now by the caller.</summary>
    public AgentMessage Compose(Caller caller, Guid receiver, string type, RawJson? payload, DateTimeOffset now, Guid? broadcastId = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(type);
        return new AgentMessage
        {
            Id = Guid.CreateVersion7(now),
            TenantId = caller.TenantId,
            Type = type.Trim(),
            Sender = MessageSender.From(caller),
            Receiver = receiver,
            Payload = payload,
            SentAt = now,
            ExpiresAt = now + options.Retention,
            BroadcastId = broadcastId,
        };
    }

    /// <summary>Keeps every message, or none when an inbox is full, and wakes the receivers' long polls.</summary>
    public async Task<Outcome<IReadOnlyList<AgentMessage>>> DispatchAsync(string tenantId, IReadOnlyList<AgentMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return Outcome<IReadOnlyList<AgentMessage>>.Success(messages);
        }

        var full = await store.SendAsync(tenantId, messages, options.MaxInboxMessages, now, cancellationToken);
        if (full.Count > 0)
        {
            LogInboxFull(logger, tenantId, full.Count, options.MaxInboxMessages);
            return new Failure(FailureKind.QueueFull,
                $"The inbox of {(full.Count == 1 ? $"agent {full[0]}" : $"{full.Count} agents")} holds {options.MaxInboxMessages} unacknowledged messages, " +
                "the most it may; nothing was sent. Try again once the receiver has acknowledged some.")
            {
                Type = InboxFullType,
                RetryAfter = options.VisibilityTimeout,
                Extensions = new Dictionary<string, object?> { ["fullInboxes"] = full.Select(id => id.ToString()).ToList() },
            };
        }

        foreach (var receiver in messages.Select(message => message.Receiver).Distinct())
        {
            availability.Notify(tenantId, receiver);
        }

        LogSent(logger, tenantId, messages.Count, messages[0].Type);
        return Outcome<IReadOnlyList<AgentMessage>>.Success(messages);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tenant {TenantId}: sent {Count} messages of type {Type}")]
    private static partial void LogSent(ILogger logger, string tenantId, int count, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {TenantId}: a send was refused, {Count} receivers' inboxes hold {Limit} messages")]
    private static partial void LogInboxFull(ILogger logger, string tenantId, int count, int limit);
}
