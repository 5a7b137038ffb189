namespace Workforce.Core.Notifications;

/// <summary>
/// Starts the durable run that carries a delivery through its attempts and retries (the delivery workflow). Starting
/// a run that exists already does nothing, so a fan-out or a resend repeated after a crash starts each run once.
/// </summary>
public interface IDeliveryRunner
{
    Task StartAsync(NotificationDelivery delivery, CancellationToken cancellationToken = default);
}

/// <summary>Hears each event once it is fanned out, after the commit: the live dashboard. Must return quickly and not throw.</summary>
public interface INotificationObserver
{
    void OnFannedOut(NotificationEvent notification);
}
