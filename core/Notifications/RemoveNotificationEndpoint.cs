using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

/// <summary>Removes an endpoint. Its deliveries stay for the record; those still pending give up at their next attempt.</summary>
public sealed class RemoveNotificationEndpoint(IWorkforceStore store, NotificationInterest interest)
{
    public async Task<Outcome<NotificationEndpoint>> ExecuteAsync(Caller caller, string endpointId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        var outcome = await store.TransactAsync<Outcome<NotificationEndpoint>>(caller.TenantId, async tx =>
        {
            if ((await tx.NotificationEndpointsAsync()).FirstOrDefault(e => e.Id == endpointId) is not { } endpoint)
            {
                return Failure.NotFound($"Notification endpoint {endpointId}");
            }

            tx.Remove(endpoint);
            return endpoint;
        }, cancellationToken);
        interest.Forget(caller.TenantId);
        return outcome;
    }
}
