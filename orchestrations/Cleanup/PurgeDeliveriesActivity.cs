using Microsoft.DurableTask;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of notification deliveries, with their attempts, older than their retention.</summary>
public sealed class PurgeDeliveriesActivity(IWorkforceStore store, NotificationOptions options, TimeProvider clock) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) =>
        store.PurgeDeliveriesAsync(clock.GetUtcNow() - options.DeliveryRetention, input);
}
