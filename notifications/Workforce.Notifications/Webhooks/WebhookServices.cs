using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workforce.Core.Notifications;

namespace Workforce.Notifications.Webhooks;

public static class WebhookServices
{
    /// <summary>
    /// The webhook channel as a typed HttpClient: each attempt bounded by <see cref="NotificationOptions.AttemptTimeout"/>,
    /// connections only to public addresses unless <see cref="NotificationOptions.AllowPrivateTargets"/>. No retry
    /// handler: the delivery workflow's schedule owns retries, and a hidden retry would shift it.
    /// </summary>
    public static IServiceCollection AddWebhookChannel(this IServiceCollection services)
    {
        services.AddHttpClient<WebhookChannel>((sp, http) => http.Timeout = sp.GetRequiredService<IOptions<NotificationOptions>>().Value.AttemptTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookConnections.Handler(sp.GetRequiredService<IOptions<NotificationOptions>>().Value));
        services.AddTransient<INotificationChannel>(sp => sp.GetRequiredService<WebhookChannel>());
        return services;
    }
}
