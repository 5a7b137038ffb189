using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Core.Queues;
using Workforce.Functions.Changes;
using Workforce.Functions.Realtime;
using Workforce.Functions.Workflows;
using Workforce.Orchestrations.Notifications;

namespace Workforce.Functions.Queues;

/// <summary>
/// The two notification queues, critical events apart: each raised event's message is fanned out to the tenant's
/// endpoints by the handler the standalone server's listener calls, and settled as it settles it
/// (<see cref="TriggerSettlement"/>). The delivery runs are started with the client each trigger binds
/// (<see cref="DurableClientBinding"/>). An event fanned out for the first time goes to the tenant's dashboards as
/// the hub's <c>notification</c>, through the trigger's SignalR output: the live channel of the catalogue.
/// </summary>
/// <remarks>
/// Service Bus runs the two triggers side by side, so critical events do not wait behind the others, though nothing
/// here makes them go first when both queues are full, as the server's listener, which drains them in order, does.
/// </remarks>
public sealed class NotificationQueueFunctions(FanOutNotificationMessage fanOut, TriggerSettlement settlement, LiveUpdates liveUpdates)
{
    [Function(nameof(FanOutCriticalEvent))]
    [SignalROutput(HubName = LiveUpdates.HubName, ConnectionStringSetting = Settings.SignalR)]
    public Task<SignalRMessageAction[]?> FanOutCriticalEvent(
        [ServiceBusTrigger(WorkQueues.NotificationsCritical, Connection = Settings.ServiceBus, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        HandleAsync(WorkQueues.NotificationsCritical, message, actions, cancellationToken);

    [Function(nameof(FanOutEvent))]
    [SignalROutput(HubName = LiveUpdates.HubName, ConnectionStringSetting = Settings.SignalR)]
    public Task<SignalRMessageAction[]?> FanOutEvent(
        [ServiceBusTrigger(WorkQueues.Notifications, Connection = Settings.ServiceBus, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        HandleAsync(WorkQueues.Notifications, message, actions, cancellationToken);

    private async Task<SignalRMessageAction[]?> HandleAsync(string queue, ServiceBusReceivedMessage message, ServiceBusMessageActions actions, CancellationToken cancellationToken)
    {
        var changes = InvocationChanges.Record();
        await settlement.HandleAsync(queue, message, actions, fanOut.HandleAsync, cancellationToken);
        // What was fanned out is committed, settled or not; the dashboards hear of it once, from the first fan-out.
        return await liveUpdates.ForAsync(changes, CancellationToken.None);
    }
}
