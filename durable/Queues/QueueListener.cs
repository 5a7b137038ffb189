using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workforce.Core.Queues;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Durable.Queues;

/// <summary>
/// The standalone server's equivalent of a Service Bus trigger on a set of queues: receives under peek-lock, hands
/// each message's body to its handler (<see cref="StartTaskLifecycle"/> for the task queues, the notification fan-out
/// for the notification queues), and settles it as the handler says — complete, dead-letter, or (on an exception)
/// abandon, so it is delivered again until the queue's max delivery count dead-letters it. The queues are drained in
/// the order given: after every batch it starts again from the first, the most urgent.
/// </summary>
public sealed partial class QueueListener(
    IWorkQueues queues, IReadOnlyList<QueueDefinition> drained, Func<string, CancellationToken, Task<HandlingResult>> handler, ILogger<QueueListener> logger)
    : BackgroundService
{
    private const int BatchSize = 64;

    /// <summary>Looks again this often when nothing signals new messages: scheduled messages and expired locks.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Take the wake-up signal before looking, so a message sent while we look still wakes us.
            var arrived = queues.WaitForMessagesAsync(PollInterval, stoppingToken);
            if (!await HandleNextBatchAsync(stoppingToken))
            {
                await arrived.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <returns>Whether any queue had messages.</returns>
    private async Task<bool> HandleNextBatchAsync(CancellationToken stoppingToken)
    {
        foreach (var queue in drained)
        {
            try
            {
                var messages = await queues.ReceiveAsync(queue.Name, BatchSize, stoppingToken);
                if (messages.Count > 0)
                {
                    await Task.WhenAll(messages.Select(message => HandleAsync(message, stoppingToken)));
                    return true;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReceiveFailed(logger, e, queue.Name);
            }
        }

        return false;
    }

    private async Task HandleAsync(ReceivedMessage message, CancellationToken stoppingToken)
    {
        try
        {
            var result = await handler(message.Body, stoppingToken);
            if (result.Settlement == MessageSettlement.DeadLetter)
            {
                await queues.DeadLetterAsync(message, HandlingResult.DeadLetterReason, result.Reason, stoppingToken);
            }
            else
            {
                await queues.CompleteAsync(message, stoppingToken);
            }
        }
        catch (MessageLockLostException)
        {
            LogLockLost(logger, message.MessageId, message.Queue);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogHandlerFailed(logger, e, message.MessageId, message.Queue, message.DeliveryCount);
            await queues.AbandonAsync(message, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not receive from {Queue}")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} of {Queue} outlived its lock; it will be delivered again")]
    private static partial void LogLockLost(ILogger logger, string messageId, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} of {Queue} failed on delivery {DeliveryCount}; abandoned for another try")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string messageId, string queue, int deliveryCount);
}
