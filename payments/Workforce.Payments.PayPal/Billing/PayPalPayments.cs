using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workforce.Core.Billing;

namespace Workforce.Payments.PayPal.Billing;

public static class PayPalPayments
{
    /// <summary>
    /// Billing on PayPal: the PayPal client (<see cref="PayPalServices.AddPayPal"/>), and in place of the offline
    /// gateway and notifications the PayPal ones — when credentials are configured. Without them billing stays
    /// offline: invoices issued, nothing charged, checkout and webhooks answered 409. Decided when first resolved, from
    /// the bound <see cref="PayPalOptions"/>, so every configuration source counts.
    /// </summary>
    public static IServiceCollection AddPayPalPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPayPal(configuration);
        services.TryAddSingleton<PayPalCatalog>();
        services.TryAddSingleton<PayPalPaymentGateway>();
        services.TryAddSingleton<PayPalPaymentEvents>();
        services.Replace(ServiceDescriptor.Singleton<IPaymentGateway>(sp => Configured(sp)
            ? sp.GetRequiredService<PayPalPaymentGateway>()
            : new OfflinePaymentGateway()));
        services.Replace(ServiceDescriptor.Singleton<IPaymentEvents>(sp => Configured(sp)
            ? sp.GetRequiredService<PayPalPaymentEvents>()
            : new OfflinePaymentEvents()));
        return services;
    }

    private static bool Configured(IServiceProvider services) => services.GetRequiredService<IOptions<PayPalOptions>>().Value.IsConfigured;
}
