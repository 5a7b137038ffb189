extern alias FunctionsApp;

using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using FunctionsApp::Workforce.Functions.Queues;

namespace Workforce.Functions.Tests.Queues;

// The SDK's own DisposeAsync closes the AMQP connection, which these doubles never opened.
#pragma warning disable CA2215

/// <summary>
/// A Service Bus namespace in memory, behind the SDK's own client types: <see cref="ServiceBusClient"/>,
/// <see cref="ServiceBusSender"/> and <see cref="ServiceBusReceiver"/> are subclassed through the protected
/// constructors and virtual members the SDK keeps for test doubles, and every message a receiver sees is built by
/// <see cref="ServiceBusModelFactory"/>. It keeps what the app relies on: peeking pages through a queue from where the
/// last page ended, receiving locks messages until they are completed or abandoned, scheduled messages are in the
/// scheduled state. It knows nothing of lock expiry or delivery counts.
/// </summary>
public sealed class InMemoryServiceBus : ServiceBusClient
{
    private readonly ConcurrentDictionary<string, SubQueueMessages> _queues = new();
    private long _sequence;

    /// <summary>Every sender the app created, by queue.</summary>
    public ConcurrentDictionary<string, int> SendersCreated { get; } = new();

    /// <summary>How many receivers the app opened and has not disposed yet.</summary>
    public int OpenReceivers => _openReceivers;

    private int _openReceivers;

    /// <summary>The messages of a queue (or its dead-letter queue) that no receiver holds, in the order they were enqueued.</summary>
    public IReadOnlyList<ServiceBusReceivedMessage> Messages(string queue, SubQueue subQueue = SubQueue.None) => Of(queue, subQueue).Snapshot();

    /// <summary>Puts a message straight into a dead-letter queue, as Service Bus would after its deliveries or expiry.</summary>
    public void DeadLetter(string queue, string body, DateTimeOffset enqueuedAt, string reason, TimeSpan? timeToLive = null, string? tenantId = null) =>
        Of(queue, SubQueue.DeadLetter).Add(ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body),
            messageId: Guid.NewGuid().ToString("N"),
            timeToLive: timeToLive ?? TimeSpan.FromDays(14),
            properties: tenantId is null
                ? new Dictionary<string, object> { ["DeadLetterReason"] = reason }
                : new Dictionary<string, object> { ["DeadLetterReason"] = reason, [ServiceBusWorkQueues.TenantProperty] = tenantId },
            sequenceNumber: Interlocked.Increment(ref _sequence),
            enqueuedTime: enqueuedAt));

    public override ServiceBusSender CreateSender(string queueOrTopicName)
    {
        SendersCreated.AddOrUpdate(queueOrTopicName, 1, (_, count) => count + 1);
        return new Sender(this, queueOrTopicName);
    }

    public override ServiceBusReceiver CreateReceiver(string queueName, ServiceBusReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Interlocked.Increment(ref _openReceivers);
        return new Receiver(this, Of(queueName, options.SubQueue));
    }

    public override ServiceBusReceiver CreateReceiver(string queueName) => CreateReceiver(queueName, new ServiceBusReceiverOptions());

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private SubQueueMessages Of(string queue, SubQueue subQueue) => _queues.GetOrAdd($"{queue}/{subQueue}", _ => new SubQueueMessages());

    private ServiceBusReceivedMessage Received(ServiceBusMessage message) => ServiceBusModelFactory.ServiceBusReceivedMessage(
        body: message.Body,
        messageId: message.MessageId,
        timeToLive: message.TimeToLive,
        contentType: message.ContentType,
        scheduledEnqueueTime: message.ScheduledEnqueueTime,
        properties: new Dictionary<string, object>(message.ApplicationProperties),
        sequenceNumber: Interlocked.Increment(ref _sequence),
        enqueuedTime: DateTimeOffset.UtcNow,
        serviceBusMessageState: message.ScheduledEnqueueTime > DateTimeOffset.UtcNow ? ServiceBusMessageState.Scheduled : ServiceBusMessageState.Active);

    /// <summary>One queue or dead-letter queue: available messages, and those a receiver has locked.</summary>
    private sealed class SubQueueMessages
    {
        private readonly Lock _gate = new();
        private readonly List<ServiceBusReceivedMessage> _available = [];
        private readonly HashSet<ServiceBusReceivedMessage> _locked = [];

        public void Add(ServiceBusReceivedMessage message)
        {
            lock (_gate)
            {
                _available.Add(message);
            }
        }

        public IReadOnlyList<ServiceBusReceivedMessage> Snapshot()
        {
            lock (_gate)
            {
                return [.. _available];
            }
        }

        public IReadOnlyList<ServiceBusReceivedMessage> Peek(long afterSequence, int max)
        {
            lock (_gate)
            {
                return [.. _available.Concat(_locked).Where(m => m.SequenceNumber > afterSequence).OrderBy(m => m.SequenceNumber).Take(max)];
            }
        }

        public List<ServiceBusReceivedMessage> Lock(int max)
        {
            lock (_gate)
            {
                var taken = _available.Take(max).ToList();
                _available.RemoveRange(0, taken.Count);
                _locked.UnionWith(taken);
                return taken;
            }
        }

        public void Settle(ServiceBusReceivedMessage message, bool complete)
        {
            lock (_gate)
            {
                if (!_locked.Remove(message))
                {
                    throw new ServiceBusException("The lock supplied is invalid.", ServiceBusFailureReason.MessageLockLost);
                }

                if (!complete)
                {
                    _available.Insert(0, message);
                    _available.Sort((a, b) => a.SequenceNumber.CompareTo(b.SequenceNumber));
                }
            }
        }
    }

    private sealed class Sender(InMemoryServiceBus bus, string queue) : ServiceBusSender
    {
        public override string EntityPath => queue;

        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(message);
            cancellationToken.ThrowIfCancellationRequested();
            bus.Of(queue, SubQueue.None).Add(bus.Received(message));
            return Task.CompletedTask;
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Receiver(InMemoryServiceBus bus, SubQueueMessages messages) : ServiceBusReceiver
    {
        private long _lastPeeked;

        public override Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekMessagesAsync(int maxMessages, long? fromSequenceNumber = null, CancellationToken cancellationToken = default)
        {
            var page = messages.Peek(fromSequenceNumber - 1 ?? _lastPeeked, maxMessages);
            _lastPeeked = page.Count > 0 ? page[^1].SequenceNumber : _lastPeeked;
            return Task.FromResult(page);
        }

        public override Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveMessagesAsync(int maxMessages, TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(messages.Lock(maxMessages));

        public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
        {
            messages.Settle(message, complete: true);
            return Task.CompletedTask;
        }

        public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
        {
            messages.Settle(message, complete: false);
            return Task.CompletedTask;
        }

        public override ValueTask DisposeAsync()
        {
            Interlocked.Decrement(ref bus._openReceivers);
            return ValueTask.CompletedTask;
        }
    }
}
