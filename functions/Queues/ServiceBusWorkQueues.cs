using Azure.Messaging.ServiceBus;
using Workforce.Core.Queues;

namespace Workforce.Functions.Queues;

/// <summary>
/// <see cref="IWorkQueues"/> on the Service Bus queues that infra/ provisions from <see cref="WorkQueues.All"/>, for
/// what the Functions app does through the port: the store adapter sends a submission's message after its commit,
/// the operations view counts a tenant's messages, cleanup purges old dead letters. Receiving and settling belong to
/// the [ServiceBusTrigger] functions (<see cref="TaskQueueFunctions"/>), so those members refuse.
/// </summary>
/// <remarks>
/// The SDK sends rather than a [ServiceBusOutput] binding: the binding sends only a body (no message id, no tenant
/// property, no scheduled time), and the message must leave from inside the store adapter, after the commit.
/// </remarks>
public sealed class ServiceBusWorkQueues(ServiceBusClient client) : IWorkQueues, IAsyncDisposable
{
    /// <summary>The application property that scopes a message to its tenant for <see cref="CountAsync"/>.</summary>
    public const string TenantProperty = "tenantId";

    /// <summary>Counting peeks at messages; past this many per queue a count stops growing.</summary>
    public const int MaxCountedPerQueue = 1_000;

    private const int PageSize = 250;
    private const string ExpiredReason = "TTLExpiredException";

    private readonly Dictionary<string, ServiceBusSender> _senders = WorkQueues.All.ToDictionary(q => q.Name, q => client.CreateSender(q.Name));

    public Task SendAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outgoing = new ServiceBusMessage(message.Body) { MessageId = message.MessageId, ContentType = "application/json" };
        if (message.TenantId is { } tenantId)
        {
            outgoing.ApplicationProperties[TenantProperty] = tenantId;
        }

        if (message.ScheduledEnqueueTime is { } enqueueAt)
        {
            outgoing.ScheduledEnqueueTime = enqueueAt;
        }

        if (message.TimeToLive is { } timeToLive)
        {
            outgoing.TimeToLive = timeToLive;
        }

        return _senders[message.Queue].SendMessageAsync(outgoing, cancellationToken);
    }

    /// <summary>Peeks at each queue and its dead-letter queue; Service Bus keeps no counts per tenant.</summary>
    public async Task<IReadOnlyList<QueueCounts>> CountAsync(string? tenantId, CancellationToken cancellationToken = default)
    {
        var counts = new List<QueueCounts>();
        foreach (var queue in WorkQueues.All)
        {
            var waiting = await PeekAsync(queue.Name, SubQueue.None, tenantId, cancellationToken);
            var deadLettered = await PeekAsync(queue.Name, SubQueue.DeadLetter, tenantId, cancellationToken);
            counts.Add(new QueueCounts(queue.Name,
                waiting.Count(m => m.State != ServiceBusMessageState.Scheduled),
                waiting.Count(m => m.State == ServiceBusMessageState.Scheduled),
                deadLettered.Count));
        }

        return counts;
    }

    /// <summary>
    /// Deletes dead letters older than <paramref name="deadLetteredBefore"/>, oldest first. The dead-letter queue is in
    /// dead-lettering order, so the first one that is too young ends the purge.
    /// </summary>
    public async Task<int> PurgeDeadLettersAsync(DateTimeOffset deadLetteredBefore, int limit, CancellationToken cancellationToken = default)
    {
        var purged = 0;
        foreach (var queue in WorkQueues.All)
        {
            await using var receiver = client.CreateReceiver(queue.Name, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
            var young = false;
            while (!young && purged < limit)
            {
                var batch = await receiver.ReceiveMessagesAsync(Math.Min(PageSize, limit - purged), TimeSpan.FromSeconds(1), cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                foreach (var message in batch)
                {
                    young = young || DeadLetteredAt(message) >= deadLetteredBefore;
                    await (young ? receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken) : receiver.CompleteMessageAsync(message, cancellationToken));
                    purged += young ? 0 : 1;
                }
            }
        }

        return purged;
    }

    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, CancellationToken cancellationToken = default) =>
        throw TriggersSettle();

    public Task CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken = default) => throw TriggersSettle();

    public Task AbandonAsync(ReceivedMessage message, CancellationToken cancellationToken = default) => throw TriggersSettle();

    public Task DeadLetterAsync(ReceivedMessage message, string reason, string? description = null, CancellationToken cancellationToken = default) =>
        throw TriggersSettle();

    public Task<DateTimeOffset> RenewLockAsync(ReceivedMessage message, CancellationToken cancellationToken = default) => throw TriggersSettle();

    public Task WaitForMessagesAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => throw TriggersSettle();

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }
    }

    private async Task<List<ServiceBusReceivedMessage>> PeekAsync(string queue, SubQueue subQueue, string? tenantId, CancellationToken cancellationToken)
    {
        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = subQueue });
        var matching = new List<ServiceBusReceivedMessage>();
        for (var peeked = 0; peeked < MaxCountedPerQueue;)
        {
            var page = await receiver.PeekMessagesAsync(PageSize, cancellationToken: cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            peeked += page.Count;
            matching.AddRange(page.Where(m => tenantId is null || (m.ApplicationProperties.TryGetValue(TenantProperty, out var owner) && Equals(owner, tenantId))));
        }

        return matching;
    }

    /// <summary>
    /// Service Bus records no dead-lettering time. An expired message was dead-lettered when it expired; any other was
    /// dead-lettered within its few deliveries (minutes) of being enqueued.
    /// </summary>
    private static DateTimeOffset DeadLetteredAt(ServiceBusReceivedMessage message) =>
        message.DeadLetterReason == ExpiredReason ? message.ExpiresAt : message.EnqueuedTime;

    private static NotSupportedException TriggersSettle() =>
        new($"In Azure the [ServiceBusTrigger] functions receive and settle task messages; {nameof(ServiceBusWorkQueues)} only sends, counts and purges.");
}
