namespace Workforce.Core.Queues;

/// <summary>A message to send. <see cref="TenantId"/> scopes it for the operations view; it is not routing.</summary>
public sealed record QueueMessage(string Queue, string Body)
{
    public string MessageId { get; init; } = Guid.NewGuid().ToString("N");

    public string? TenantId { get; init; }

    /// <summary>The message stays invisible until then (Service Bus ScheduledEnqueueTime).</summary>
    public DateTimeOffset? ScheduledEnqueueTime { get; init; }

    /// <summary>Overrides the queue's default time to live.</summary>
    public TimeSpan? TimeToLive { get; init; }
}

/// <summary>A message received under a peek-lock; settle it before <see cref="LockedUntil"/>.</summary>
public sealed record ReceivedMessage(
    string Queue,
    string MessageId,
    string LockToken,
    string Body,
    string? TenantId,
    int DeliveryCount,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset LockedUntil);

public sealed record QueueCounts(string Queue, long Active, long Scheduled, long DeadLettered);

/// <summary>The lock of a received message expired or was never valid; another receiver may hold the message now.</summary>
public sealed class MessageLockLostException(string message) : InvalidOperationException(message);

/// <summary>
/// Work queues with Service Bus semantics: peek-lock receive with a lock duration; complete, abandon or dead-letter;
/// a message delivered more than the queue's MaxDeliveryCount times, or expired with dead-lettering on, moves to
/// the dead-letter sub-queue; scheduled messages stay invisible until their time. A Service Bus namespace
/// satisfies the same contract in Azure.
/// </summary>
public interface IWorkQueues
{
    Task SendAsync(QueueMessage message, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, CancellationToken cancellationToken = default);

    /// <exception cref="MessageLockLostException">The lock expired before the message was settled.</exception>
    Task CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken = default);

    /// <summary>Releases the lock at once, so the message can be delivered again (its delivery count stays).</summary>
    /// <exception cref="MessageLockLostException">The lock expired before the message was settled.</exception>
    Task AbandonAsync(ReceivedMessage message, CancellationToken cancellationToken = default);

    /// <exception cref="MessageLockLostException">The lock expired before the message was settled.</exception>
    Task DeadLetterAsync(ReceivedMessage message, string reason, string? description = null, CancellationToken cancellationToken = default);

    /// <returns>The new lock expiry.</returns>
    /// <exception cref="MessageLockLostException">The lock already expired.</exception>
    Task<DateTimeOffset> RenewLockAsync(ReceivedMessage message, CancellationToken cancellationToken = default);

    /// <summary>A task that completes when a message may have become receivable (a send, an unlock, a schedule falling due).</summary>
    Task WaitForMessagesAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Counts per queue; only the tenant's messages when <paramref name="tenantId"/> is given.</summary>
    Task<IReadOnlyList<QueueCounts>> CountAsync(string? tenantId, CancellationToken cancellationToken = default);

    /// <returns>How many dead-lettered messages were deleted.</returns>
    Task<int> PurgeDeadLettersAsync(DateTimeOffset deadLetteredBefore, int limit, CancellationToken cancellationToken = default);
}
