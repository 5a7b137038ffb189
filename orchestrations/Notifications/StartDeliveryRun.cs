using Microsoft.DurableTask.Client;
using Workforce.Core.Notifications;

namespace Workforce.Orchestrations.Notifications;

/// <summary>Starts a delivery's run as a <see cref="DeliverNotificationOrchestrator"/> under the run's own id, so a run started twice runs once.</summary>
public sealed class StartDeliveryRun(DurableTaskClient orchestrations) : IDeliveryRunner
{
    public Task StartAsync(NotificationDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return orchestrations.TryStartAsync(WorkflowNames.DeliverNotification, delivery.RunId,
            new DeliveryRun(delivery.TenantId, delivery.Id, delivery.RunStartsAfter + 1), cancellationToken);
    }
}
