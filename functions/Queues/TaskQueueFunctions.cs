using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Core.Queues;
using Workforce.Functions.Workflows;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Functions.Queues;

/// <summary>
/// The four priority queues: each submitted task's message starts its lifecycle workflow, settled as the standalone
/// server's queue listener settles it (<see cref="TriggerSettlement"/>). Each trigger binds the Durable client the
/// lifecycle is started with (<see cref="DurableClientBinding"/>).
/// </summary>
public sealed class TaskQueueFunctions(StartTaskLifecycle lifecycle, TriggerSettlement settlement)
{
    [Function(nameof(StartCriticalTask))]
    public Task StartCriticalTask(
        [ServiceBusTrigger(WorkQueues.TasksCritical, Connection = Settings.ServiceBus, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        HandleAsync(WorkQueues.TasksCritical, message, actions, cancellationToken);

    [Function(nameof(StartHighTask))]
    public Task StartHighTask(
        [ServiceBusTrigger(WorkQueues.TasksHigh, Connection = Settings.ServiceBus, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        HandleAsync(WorkQueues.TasksHigh, message, actions, cancellationToken);

    [Function(nameof(StartMediumTask))]
    public Task StartMediumTask(
        [ServiceBusTrigger(WorkQueues.TasksMedium, Connection = Settings.ServiceBus, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        HandleAsync(WorkQueues.TasksMedium, message, actions, cancellationToken);

    [Function(nameof(StartLowTask))]
    public Task StartLowTask(
        [ServiceBusTrigger(WorkQueues.TasksLow, Connection = Settings.ServiceBus, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        HandleAsync(WorkQueues.TasksLow, message, actions, cancellationToken);

    private Task HandleAsync(string queue, ServiceBusReceivedMessage message, ServiceBusMessageActions actions, CancellationToken cancellationToken) =>
        settlement.HandleAsync(queue, message, actions, lifecycle.HandleAsync, cancellationToken);
}
