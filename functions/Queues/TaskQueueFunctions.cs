using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workforce.Core.Queues;
using Workforce.Functions.Workflows;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Functions.Queues;

/// <summary>
/// The four priority queues: each submitted task's message starts its lifecycle workflow. Messages are settled here,
/// as the standalone server's queue listener settles them: complete, dead-letter with a reason when the body can never
/// be handled, abandon on an error so Service Bus delivers it again (up to the queue's max delivery count). Each
/// trigger binds the Durable client the lifecycle is started with (<see cref="DurableClientBinding"/>).
/// </summary>
public sealed partial class TaskQueueFunctions(StartTaskLifecycle lifecycle, ILogger<TaskQueueFunctions> logger)
{
    [Function(nameof(StartCriticalTask))]
    public Task StartCriticalTask(
        [ServiceBusTrigger(WorkQueues.TasksCritical, Connection = Settings.ServiceBus, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        HandleAsync(message, actions, cancellationToken);

    [Function(nameof(StartHighTask))]
    public Task StartHighTask(
        [ServiceBusTrigger(WorkQueues.TasksHigh, Connection = Settings.ServiceBus, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        HandleAsync(message, actions, cancellationToken);

    [Function(nameof(StartMediumTask))]
    public Task StartMediumTask(
        [ServiceBusTrigger(WorkQueues.TasksMedium, Connection = Settings.ServiceBus, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        HandleAsync(message, actions, cancellationToken);

    [Function(nameof(StartLowTask))]
    public Task StartLowTask(
        [ServiceBusTrigger(WorkQueues.TasksLow, Connection = Settings.ServiceBus, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        HandleAsync(message, actions, cancellationToken);

    private async Task HandleAsync(ServiceBusReceivedMessage message, ServiceBusMessageActions actions, CancellationToken cancellationToken)
    {
        try
        {
            var result = await lifecycle.HandleAsync(message.Body.ToString(), cancellationToken);
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
            LogHandlerFailed(logger, e, message.MessageId, message.DeliveryCount);
            await actions.AbandonMessageAsync(message, cancellationToken: CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task message {MessageId} failed on delivery {DeliveryCount}; abandoned for another try")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string messageId, int deliveryCount);
}
