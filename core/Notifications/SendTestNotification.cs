using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

/// <summary>Sends a notification.test event to one endpoint (and no other), through the same delivery run as any event, so its attempts show how the endpoint answers.</summary>
public sealed class SendTestNotification(IWorkforceStore store, IDeliveryRunner runner, TimeProvider clock)
{
    public async Task<Outcome<NotificationDelivery>> ExecuteAsync(Caller caller, string endpointId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        var now = clock.GetUtcNow();
        var outcome = await store.TransactAsync<Outcome<NotificationDelivery>>(caller.TenantId, async tx =>
        {
            if ((await tx.NotificationEndpointsAsync()).FirstOrDefault(e => e.Id == endpointId) is not { } endpoint)
            {
                return Failure.NotFound($"Notification endpoint {endpointId}");
            }

            if (!endpoint.IsEnabled)
            {
                return Failure.Conflict($"Endpoint {endpointId} is disabled ({endpoint.DisabledReason}); create it again to use it.");
            }

            var test = NotificationEvents.OfTest(endpoint, now) with { Sequence = await tx.LastNotificationSequenceAsync() + 1 };
            var delivery = NotificationDelivery.For(test, endpoint, now);
            tx.Save(delivery);
            tx.Add(new FannedOutEvent(test.Id, test.Sequence, now, [delivery.Id]));
            return delivery;
        }, cancellationToken);

        if (outcome.Value is { } started)
        {
            await runner.StartAsync(started, cancellationToken);
        }

        return outcome;
    }
}
