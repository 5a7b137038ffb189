using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

/// <summary>
/// Sends an endpoint again every delivery that failed since a time: what it missed while it was down. Each is
/// resent as a retry would (<see cref="RetryDelivery"/>), at most <see cref="MaxDeliveries"/> at a time; the answer
/// says how many, and replaying again picks up the rest.
/// </summary>
public sealed class ReplayEndpoint(IWorkforceStore store, IDeliveryRunner runner, TimeProvider clock)
{
    public const int MaxDeliveries = 500;

    public async Task<Outcome<int>> ExecuteAsync(Caller caller, string endpointId, DateTimeOffset? since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        var now = clock.GetUtcNow();
        if (since is not { } from || from > now)
        {
            return Failure.Invalid("since", "Give the time to replay from, in ISO 8601 and not in the future, such as ?since=2026-12-01T00:00:00Z.");
        }

        if ((await store.ListNotificationEndpointsAsync(caller.TenantId, cancellationToken)).FirstOrDefault(e => e.Id == endpointId) is not { } endpoint)
        {
            return Failure.NotFound($"Notification endpoint {endpointId}");
        }

        if (!endpoint.IsEnabled)
        {
            return Failure.Conflict($"Endpoint {endpointId} is disabled ({endpoint.DisabledReason}); create it again, then replay.");
        }

        var failed = await store.ListDeliveriesAsync(caller.TenantId, new DeliveryFilter(endpointId, DeliveryStatus.Failed, CreatedSince: from), new PageRequest(MaxDeliveries, null), cancellationToken);
        var resent = 0;
        foreach (var delivery in failed.Items)
        {
            var started = await store.TransactAsync(caller.TenantId, async tx =>
            {
                var current = await tx.FindDeliveryAsync(delivery.Id);
                if (current is not { Status: DeliveryStatus.Failed })
                {
                    return null;
                }

                var again = current.Resend(now);
                tx.Save(again);
                return again;
            }, cancellationToken);
            if (started is not null)
            {
                await runner.StartAsync(started, cancellationToken);
                resent++;
            }
        }

        return resent;
    }
}
