using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workforce.Core.Notifications;

namespace Workforce.Notifications.Email;

public static class EmailServices
{
    /// <summary>
    /// The email channel as an <see cref="INotificationChannel"/>, with <see cref="EmailOptions"/> bound from
    /// <c>Workforce:Notifications:Email</c> and validated at start-up. It is registered even without a Host, so that
    /// email endpoints can be created and their deliveries say why they fail (email is not configured) instead of the
    /// channel being missing; setting the Host later takes a restart, like any option.
    /// </summary>
    public static IServiceCollection AddEmailChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailOptions>, EmailOptionsValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, EmailChannel>());
        return services;
    }
}
