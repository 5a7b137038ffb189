using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workforce.Core.Notifications;

namespace Workforce.Notifications.Sms;

public static class SmsServices
{
    /// <summary>
    /// The SMS channel (an <see cref="INotificationChannel"/> for <see cref="NotificationChannel.Sms"/>) with
    /// <see cref="SmsOptions"/> bound from <c>Workforce:Notifications:Sms</c> and validated at start-up. Each attempt
    /// is bounded by <see cref="NotificationOptions.AttemptTimeout"/>, which the host binds with the rest of
    /// <c>Workforce:Notifications</c>. Its HttpClient has no resilience handler on purpose: the core's retry schedule
    /// is the only one that retries a delivery.
    /// </summary>
    public static IServiceCollection AddSmsChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmsOptions>, SmsOptionsValidation>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<TwilioBaseUrlHandler>();
        services.AddHttpClient(SmsChannel.HttpClientName)
            // As the library's own default transport: Twilio's API does not redirect, and a redirect must not carry the credentials elsewhere.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler<TwilioBaseUrlHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, SmsChannel>());
        return services;
    }
}
