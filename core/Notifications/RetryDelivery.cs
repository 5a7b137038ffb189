using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

/// <summary>Sends a finished delivery again, from the start of the retry schedule (after the receiver fixed what made it fail, or to have it once more).</summary>
public sealed class RetryDelivery(IWorkforceStore store, IDeliveryRunner runner, TimeProvider clock)
{
    public async Task<Outcome<NotificationDelivery>> ExecuteAsync(Caller caller, string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        var outcome = await store.TransactAsync<Outcome<NotificationDelivery>>(caller.TenantId, async tx =>
        {
            if (await tx.FindDeliveryAsync(deliveryId) is not { } delivery)
            {
                return Failure.NotFound($"Delivery {deliveryId}");
            }

            if (delivery.Status == DeliveryStatus.Pending)
            {
                return Failure.Conflict($"Delivery {deliveryId} is still being tried; its next attempt is due at {delivery.NextAttemptAt:u}.");
            }

            if ((await tx.NotificationEndpointsAsync()).FirstOrDefault(e => e.Id == delivery.EndpointId) is not { IsEnabled: true })
            {
                return Failure.Conflict($"The endpoint of delivery {deliveryId} was removed or disabled; create an endpoint and replay to it instead.");
            }

            var resent = delivery.Resend(clock.GetUtcNow());
            tx.Save(resent);
            return resent;
        }, cancellationToken);

        if (outcome.Value is { } started)
        {
            await runner.StartAsync(started, cancellationToken);
        }

        return outcome;
    }
}
