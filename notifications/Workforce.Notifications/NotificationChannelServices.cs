using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Notifications.Email;
using Workforce.Notifications.Sms;
using Workforce.Notifications.Webhooks;

namespace Workforce.Notifications;

public static class NotificationChannelServices
{
    /// <summary>Every channel the platform delivers through, as <see cref="Core.Notifications.INotificationChannel"/>s: webhooks, email and SMS.</summary>
    public static IServiceCollection AddNotificationChannels(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddWebhookChannel();
        services.AddEmailChannel(configuration);
        services.AddSmsChannel(configuration);
        return services;
    }
}
