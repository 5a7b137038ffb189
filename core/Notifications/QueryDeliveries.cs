using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

/// <summary>The tenant's deliveries with every attempt, newest first, filtered by endpoint, status and event type.</summary>
public sealed class QueryDeliveries(IWorkforceStore store)
{
    public async Task<Outcome<Page<NotificationDelivery>>> ListAsync(Caller caller, DeliveryFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        if (Paging.Check(page) is { } invalid)
        {
            return invalid;
        }

        try
        {
            return await store.ListDeliveriesAsync(caller.TenantId, filter, page, cancellationToken);
        }
        catch (InvalidCursorException)
        {
            return Paging.InvalidCursor;
        }
    }

    public async Task<Outcome<NotificationDelivery>> GetAsync(Caller caller, string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAgent ? Failures.AgentKeyNotAllowed
            : await store.FindDeliveryAsync(caller.TenantId, deliveryId, cancellationToken) is { } delivery ? delivery
            : Failure.NotFound($"Delivery {deliveryId}");
    }
}
