using Microsoft.Extensions.Logging;
using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

/// <summary>
/// Takes a raised event from its queue: gives it the tenant's next sequence, makes a delivery for every endpoint
/// that wants it, and starts their runs. Recorded in one transaction under the event's id, so the same message
/// handled twice (a crash before it was settled) finds the first fan-out and only starts what may not have started.
/// </summary>
public sealed partial class FanOutNotification(
    IWorkforceStore store, IDeliveryRunner runner, IEnumerable<INotificationObserver> observers, TimeProvider clock, ILogger<FanOutNotification> logger)
{
    private readonly INotificationObserver[] _observers = [.. observers];

    /// <returns>The deliveries the event made.</returns>
    public async Task<IReadOnlyList<NotificationDelivery>> ExecuteAsync(NotificationEvent notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var now = clock.GetUtcNow();
        var (sequenced, deliveries, first) = await store.TransactAsync(notification.TenantId, async tx =>
        {
            if (await tx.FindFannedOutEventAsync(notification.Id) is { } earlier)
            {
                var found = new List<NotificationDelivery>();
                foreach (var id in earlier.DeliveryIds)
                {
                    if (await tx.FindDeliveryAsync(id) is { } delivery)
                    {
                        found.Add(delivery);
                    }
                }

                return (notification with { Sequence = earlier.Sequence }, (IReadOnlyList<NotificationDelivery>)found, false);
            }

            var next = notification with { Sequence = await tx.LastNotificationSequenceAsync() + 1 };
            var made = (await tx.NotificationEndpointsAsync()).Where(e => e.Wants(next)).Select(e => NotificationDelivery.For(next, e, now)).ToList();
            foreach (var delivery in made)
            {
                tx.Save(delivery);
            }

            tx.Add(new FannedOutEvent(next.Id, next.Sequence, now, [.. made.Select(d => d.Id)]));
            return (next, made, true);
        }, cancellationToken);

        if (first)
        {
            Publish(sequenced);
        }

        foreach (var delivery in deliveries.Where(d => d.Status == DeliveryStatus.Pending))
        {
            await runner.StartAsync(delivery, cancellationToken);
        }

        return deliveries;
    }

    private void Publish(NotificationEvent notification)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnFannedOut(notification);
            }
            catch (Exception e)
            {
                LogObserverFailed(logger, e, observer.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification observer {Observer} failed; it missed an event")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, string observer);
}
