using System.Collections.Concurrent;
using Workforce.Core.Queues;
using StoredMessage = Azure.Storage.Queues.Models.QueueMessage;

namespace Workforce.Storage.Azure.Queues;

/// <summary>
/// <see cref="IWorkQueues"/> on Azure Storage Queues, mapped onto Service Bus semantics:
/// <list type="bullet">
/// <item>peek-lock is the visibility timeout of Get Messages; the lock token is the message id and pop receipt;</item>
/// <item>the delivery count is the dequeue count; past the queue's MaxDeliveryCount a message moves to
/// <c>&lt;queue&gt;-poison</c>, the dead-letter queue, as do expired messages of queues that dead-letter on expiry
/// (those are sent without a service TTL and expire by their envelope, since the service would drop them silently);</item>
/// <item>a scheduled message is sent with an initial visibility timeout, at most 7 days ahead;</item>
/// <item>counts come from the <see cref="QueueLedger"/>.</item>
/// </list>
/// Renewing a lock changes the pop receipt; this instance remembers the newest one, so a message must be settled
/// through the instance that received it (as with a Service Bus receiver).
/// </summary>
internal sealed class AzureWorkQueues(AzureStorage storage, QueueLedger ledger, IReadOnlyList<QueueDefinition> definitions, TimeProvider clock) : IWorkQueues
{
    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";
    public const string TtlExpired = "TTLExpiredException";

    /// <summary>A consumer waiting for messages looks again this often: other processes' sends cannot wake it.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a purge hides the dead letters it looks at; those it keeps are released at once.</summary>
    private static readonly TimeSpan PurgeLook = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Lock> _renewedLocks = new(StringComparer.Ordinal);
    private TaskCompletionSource _sent = NewSignal();

    public async Task SendAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var definition = Definition(message.Queue);
        var now = clock.GetUtcNow();
        var visibleAt = message.ScheduledEnqueueTime is { } scheduled && scheduled > now ? scheduled : now;
        if (visibleAt - now > QueueOperations.MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(message), "Azure Storage Queues can schedule a message at most 7 days ahead.");
        }

        var timeToLive = message.TimeToLive ?? definition.DefaultTimeToLive;
        var envelope = QueueEnvelope.For(message, now, visibleAt + timeToLive);
        // A queue that dead-letters expired messages must see them expire, so the service must not drop them first.
        var serviceTimeToLive = definition.DeadLetteringOnMessageExpiration ? (TimeSpan?)null : visibleAt - now + timeToLive;
        await storage.Queue(message.Queue).PutAsync(envelope.Encode(), visibleAt - now, serviceTimeToLive, cancellationToken);
        await ledger.AddAsync(message.Queue, envelope, visibleAt, cancellationToken);
        Pulse();
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, CancellationToken cancellationToken = default)
    {
        var definition = Definition(queue);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        // The lock's end as this client sees it: the service states it in whole seconds only.
        var now = clock.GetUtcNow();
        var lockedUntil = now + definition.LockDuration;
        var messages = await storage.Queue(queue).GetAsync(maxMessages, definition.LockDuration, cancellationToken);
        var received = new List<ReceivedMessage>();
        foreach (var message in messages)
        {
            var envelope = QueueEnvelope.Decode(message.MessageText);
            if (envelope.ExpiresAt <= now.UtcTicks)
            {
                await ExpireAsync(definition, message, envelope, now, cancellationToken);
            }
            else if (message.DequeueCount > definition.MaxDeliveryCount)
            {
                await MoveToDeadLettersAsync(queue, message.MessageId, message.PopReceipt, envelope, MaxDeliveryCountExceeded,
                    $"Delivered {message.DequeueCount - 1} times without being completed.", now, cancellationToken);
            }
            else
            {
                received.Add(new ReceivedMessage(queue, envelope.Id, LockToken(message.MessageId, envelope.Ledger, message.PopReceipt), envelope.Body, envelope.Tenant,
                    checked((int)message.DequeueCount), new DateTimeOffset(envelope.EnqueuedAt, TimeSpan.Zero), lockedUntil));
            }
        }

        return received;
    }

    public async Task CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken = default)
    {
        var (messageId, popReceipt) = HeldLock(message);
        if (!await storage.Queue(message.Queue).TryDeleteAsync(messageId, popReceipt, cancellationToken))
        {
            throw LockLost(message);
        }

        Forget(message);
        await ledger.RemoveAsync(message.Queue, EnvelopeOf(message), cancellationToken);
    }

    public async Task AbandonAsync(ReceivedMessage message, CancellationToken cancellationToken = default)
    {
        var (messageId, popReceipt) = HeldLock(message);
        if (await storage.Queue(message.Queue).TryUpdateVisibilityAsync(messageId, popReceipt, TimeSpan.Zero, cancellationToken) is null)
        {
            throw LockLost(message);
        }

        Forget(message);
        Pulse();
    }

    public async Task DeadLetterAsync(ReceivedMessage message, string reason, string? description = null, CancellationToken cancellationToken = default)
    {
        var (messageId, popReceipt) = HeldLock(message);
        await MoveToDeadLettersAsync(message.Queue, messageId, popReceipt, EnvelopeOf(message), reason, description, clock.GetUtcNow(), cancellationToken);
        Forget(message);
    }

    public async Task<DateTimeOffset> RenewLockAsync(ReceivedMessage message, CancellationToken cancellationToken = default)
    {
        var (messageId, popReceipt) = HeldLock(message);
        var lockDuration = Definition(message.Queue).LockDuration;
        var lockedUntil = clock.GetUtcNow() + lockDuration;
        var renewed = await storage.Queue(message.Queue).TryUpdateVisibilityAsync(messageId, popReceipt, lockDuration, cancellationToken)
            ?? throw LockLost(message);
        _renewedLocks[message.LockToken] = new Lock(renewed, lockedUntil);
        // Locks renewed here but never settled (their receiver gave up) are forgotten once they have expired.
        foreach (var (token, expired) in _renewedLocks.Where(l => l.Value.LockedUntil < lockedUntil - lockDuration))
        {
            _renewedLocks.TryRemove(new KeyValuePair<string, Lock>(token, expired));
        }

        return lockedUntil;
    }

    /// <summary>Wakes on a send or abandon in this process, and otherwise after a poll interval: other processes cannot signal.</summary>
    public Task WaitForMessagesAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _sent).Task.WaitAsync(timeout < PollInterval ? timeout : PollInterval, clock, cancellationToken)
            .ContinueWith(static _ => { }, cancellationToken, TaskContinuationOptions.None, TaskScheduler.Default);

    public Task<IReadOnlyList<QueueCounts>> CountAsync(string? tenantId, CancellationToken cancellationToken = default) =>
        ledger.CountAsync(tenantId, definitions, cancellationToken);

    /// <summary>Looks at each poison queue a batch at a time, deletes what was dead-lettered before the cutoff and releases the rest.</summary>
    public async Task<int> PurgeDeadLettersAsync(DateTimeOffset deadLetteredBefore, int limit, CancellationToken cancellationToken = default)
    {
        var purged = 0;
        foreach (var definition in definitions)
        {
            var poison = storage.PoisonQueue(definition.Name);
            while (purged < limit)
            {
                var batch = await poison.GetAsync(QueueOperations.MaxMessagesPerGet, PurgeLook, cancellationToken);
                var deleted = 0;
                foreach (var message in batch)
                {
                    var envelope = QueueEnvelope.Decode(message.MessageText);
                    if (purged < limit && envelope.DeadLetteredAt < deadLetteredBefore.UtcTicks)
                    {
                        await poison.TryDeleteAsync(message.MessageId, message.PopReceipt, cancellationToken);
                        await ledger.RemoveAsync(definition.Name, envelope, cancellationToken);
                        purged++;
                        deleted++;
                    }
                    else
                    {
                        await poison.TryUpdateVisibilityAsync(message.MessageId, message.PopReceipt, TimeSpan.Zero, cancellationToken);
                    }
                }

                if (deleted == 0 || batch.Length < QueueOperations.MaxMessagesPerGet)
                {
                    break;
                }
            }
        }

        return purged;
    }

    private QueueDefinition Definition(string queue) =>
        definitions.FirstOrDefault(d => d.Name == queue) ?? throw new ArgumentException($"There is no queue named {queue}.", nameof(queue));

    /// <summary>Service Bus dead-letters an expired message only when the queue asks for it; otherwise it is dropped.</summary>
    private async Task ExpireAsync(QueueDefinition definition, StoredMessage message, QueueEnvelope envelope, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (definition.DeadLetteringOnMessageExpiration)
        {
            await MoveToDeadLettersAsync(definition.Name, message.MessageId, message.PopReceipt, envelope, TtlExpired, "The message expired before it was completed.", now, cancellationToken);
            return;
        }

        await storage.Queue(definition.Name).TryDeleteAsync(message.MessageId, message.PopReceipt, cancellationToken);
        await ledger.RemoveAsync(definition.Name, envelope, cancellationToken);
    }

    /// <summary>
    /// Deletes the message, which proves the lock is still held, then sends it to the poison queue. A failure
    /// between the two loses the message rather than delivering it twice.
    /// </summary>
    private async Task MoveToDeadLettersAsync(string queue, string messageId, string popReceipt, QueueEnvelope envelope, string reason, string? description,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await storage.Queue(queue).TryDeleteAsync(messageId, popReceipt, cancellationToken))
        {
            throw new MessageLockLostException($"The lock on message {envelope.Id} of {queue} expired or was lost; the message will be delivered again.");
        }

        var deadLetter = envelope with { DeadLetteredAt = now.UtcTicks, Reason = reason, Description = description };
        await storage.PoisonQueue(queue).PutAsync(deadLetter.Encode(), TimeSpan.Zero, timeToLive: null, cancellationToken);
        await ledger.MarkDeadLetteredAsync(queue, deadLetter, cancellationToken);
    }

    /// <summary>The message id and newest pop receipt of a lock this receiver holds; an expired lock is lost, as in Service Bus.</summary>
    private (string MessageId, string PopReceipt) HeldLock(ReceivedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parts = message.LockToken.Split(' ', 3);
        var messageId = parts[0];
        var (popReceipt, lockedUntil) = _renewedLocks.TryGetValue(message.LockToken, out var renewed)
            ? (renewed.PopReceipt, renewed.LockedUntil)
            : (parts[2], message.LockedUntil);
        if (lockedUntil <= clock.GetUtcNow())
        {
            Forget(message);
            throw LockLost(message);
        }

        return (messageId, popReceipt);
    }

    /// <summary>The envelope as far as settling needs it: the ledger row is named by tenant, queue and ledger id.</summary>
    private static QueueEnvelope EnvelopeOf(ReceivedMessage message) =>
        new(message.MessageId, message.TenantId, message.Body, message.EnqueuedAt.UtcTicks, 0, Guid.ParseExact(message.LockToken.Split(' ', 3)[1], "N"));

    private void Forget(ReceivedMessage message) => _renewedLocks.TryRemove(message.LockToken, out _);

    private static MessageLockLostException LockLost(ReceivedMessage message) =>
        new($"The lock on message {message.MessageId} of {message.Queue} expired or was lost; the message will be delivered again.");

    /// <summary>The service's message id, the ledger id and the pop receipt: GUIDs and base64, so spaces separate them unambiguously.</summary>
    private static string LockToken(string messageId, Guid ledger, string popReceipt) => $"{messageId} {ledger:N} {popReceipt}";

    private void Pulse() => Interlocked.Exchange(ref _sent, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Lock(string PopReceipt, DateTimeOffset LockedUntil);
}
