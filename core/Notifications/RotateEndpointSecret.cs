using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

/// <summary>
/// Gives a webhook endpoint a new signing secret, returned once. The old one keeps signing beside it for
/// <see cref="NotificationOptions.SecretRotationOverlap"/>, so the receiver can switch over without rejecting a delivery.
/// </summary>
public sealed class RotateEndpointSecret(IWorkforceStore store, NotificationOptions options, TimeProvider clock)
{
    public async Task<Outcome<NotificationEndpoint>> ExecuteAsync(Caller caller, string endpointId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        var next = EndpointSecret.Generate(clock.GetUtcNow());
        return await store.TransactAsync<Outcome<NotificationEndpoint>>(caller.TenantId, async tx =>
        {
            if ((await tx.NotificationEndpointsAsync()).FirstOrDefault(e => e.Id == endpointId) is not { } endpoint)
            {
                return Failure.NotFound($"Notification endpoint {endpointId}");
            }

            if (endpoint.Channel != NotificationChannel.Webhook)
            {
                return Failure.Conflict($"Endpoint {endpointId} is an {endpoint.Channel.ToString().ToLowerInvariant()} endpoint; only webhooks have a signing secret.");
            }

            var rotated = endpoint.RotateSecret(next, options.SecretRotationOverlap);
            tx.Save(rotated);
            return rotated;
        }, cancellationToken);
    }
}
