namespace Workforce.Core.Notifications;

/// <summary>How an endpoint is reached. The live dashboard is a channel too, but not an endpoint: every signed-in operator hears it.</summary>
public enum NotificationChannel
{
    Webhook,
    Email,
    Sms,
}
