using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace Workforce.Functions.Tests.Queues;

/// <summary>How a trigger function settled its message.</summary>
public sealed record Settlement(string Kind, string MessageId, string? Reason = null, string? Description = null);

/// <summary>
/// The settlement actions the worker hands a [ServiceBusTrigger] function, recording each call instead of sending it
/// to the host (the SDK type's constructor is protected and its members virtual for exactly this).
/// </summary>
public sealed class RecordingMessageActions : ServiceBusMessageActions
{
    public ConcurrentQueue<Settlement> Settlements { get; } = new();

    public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Settlements.Enqueue(new Settlement("complete", message.MessageId));
        return Task.CompletedTask;
    }

    public override Task AbandonMessageAsync(
        ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Settlements.Enqueue(new Settlement("abandon", message.MessageId));
        return Task.CompletedTask;
    }

    public override Task DeadLetterMessageAsync(
        ServiceBusReceivedMessage message,
        Dictionary<string, object>? propertiesToModify = null,
        string? deadLetterReason = null,
        string? deadLetterErrorDescription = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Settlements.Enqueue(new Settlement("deadLetter", message.MessageId, deadLetterReason, deadLetterErrorDescription));
        return Task.CompletedTask;
    }
}
