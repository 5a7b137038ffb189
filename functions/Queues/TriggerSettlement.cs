using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Functions.Queues;

/// <summary>
/// Hands a [ServiceBusTrigger] message's body to its handler and settles the message as the handler says, as the
/// standalone server's queue listener settles it: complete, dead-letter with a reason when the body can never be
/// handled, abandon on an error so Service Bus delivers it again (up to the queue's max delivery count). Every queue
/// trigger of the app settles through this, so the task and notification queues cannot drift apart.
/// </summary>
public sealed partial class TriggerSettlement(ILogger<TriggerSettlement> logger)
{
    /// <param name="queue">The trigger's queue, for the log: the received message does not name it.</param>
    public async Task HandleAsync(
        string queue,
        ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        Func<string, CancellationToken, Task<HandlingResult>> handler,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            var result = await handler(message.Body.ToString(), cancellationToken);
            if (result.Settlement == MessageSettlement.DeadLetter)
            {
                await actions.DeadLetterMessageAsync(message, deadLetterReason: HandlingResult.DeadLetterReason, deadLetterErrorDescription: result.Reason, cancellationToken: cancellationToken);
            }
            else
            {
                await actions.CompleteMessageAsync(message, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogHandlerFailed(logger, e, message.MessageId, queue, message.DeliveryCount);
            await actions.AbandonMessageAsync(message, cancellationToken: CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} of {Queue} failed on delivery {DeliveryCount}; abandoned for another try")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string messageId, string queue, int deliveryCount);
}
