using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Workforce.Payments.PayPal;

public static class PayPalServices
{
    /// <summary>
    /// The PayPal client (<see cref="IPayPalClient"/>) as a typed HttpClient, with <see cref="PayPalOptions"/> bound from
    /// <c>Workforce:Billing:PayPal</c> and validated at start-up. Both it and the token client go through the standard
    /// resilience pipeline: each attempt bounded by <see cref="PayPalOptions.RequestTimeout"/>, 5xx, 408, 429 and
    /// transport failures retried <see cref="PayPalOptions.MaxRetries"/> times with exponential backoff and jitter from
    /// <see cref="PayPalOptions.RetryDelay"/> (a Retry-After is honoured), everything within
    /// <see cref="PayPalOptions.TotalTimeout"/>. POSTs are retried too: each carries its PayPal-Request-Id unchanged, so
    /// PayPal does the work once. Without credentials nothing is sent (<see cref="IPayPalClient.IsConfigured"/>).
    /// </summary>
    public static IServiceCollection AddPayPal(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PayPalOptions>().Bind(configuration.GetSection(PayPalOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PayPalOptions>, PayPalOptionsValidation>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PayPalAccessTokens>();
        services.TryAddTransient<PayPalAuthenticationHandler>();

        services.AddHttpClient(PayPalAccessTokens.HttpClientName, ConfigureHttpClient)
            .AddStandardResilienceHandler().Configure(ConfigureResilience);

        var client = services.AddHttpClient<IPayPalClient, PayPalClient>(ConfigureHttpClient);
        // Handlers run in the order added: the retries outside, so that every attempt is authenticated afresh.
        client.AddStandardResilienceHandler().Configure(ConfigureResilience);
        client.AddHttpMessageHandler<PayPalAuthenticationHandler>();
        return services;
    }

    private static void ConfigureHttpClient(IServiceProvider services, HttpClient http)
    {
        var options = services.GetRequiredService<IOptions<PayPalOptions>>().Value;
        http.BaseAddress = options.BaseUrl.AbsoluteUri.EndsWith('/') ? options.BaseUrl : new Uri(options.BaseUrl.AbsoluteUri + "/");
        // The resilience pipeline's total timeout is the real bound; this one only must not cut it short.
        http.Timeout = options.TotalTimeout + TimeSpan.FromSeconds(5);
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<PayPalOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PayPalClient).FullName!);
        resilience.AttemptTimeout.Timeout = options.RequestTimeout;
        resilience.TotalRequestTimeout.Timeout = options.TotalTimeout;
        resilience.Retry.MaxRetryAttempts = options.MaxRetries;
        resilience.Retry.Delay = options.RetryDelay;
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.ShouldRetryAfterHeader = true;
        resilience.Retry.OnRetry = args =>
        {
            var request = args.Context.GetRequestMessage();
            var requestId = request?.Headers.TryGetValues(PayPalClient.RequestIdHeader, out var ids) == true ? ids.FirstOrDefault() : null;
            var outcome = args.Outcome.Exception?.GetType().Name ?? $"{(int?)args.Outcome.Result?.StatusCode}";
            PayPalLog.Retrying(logger, request?.Method, request?.RequestUri?.AbsolutePath, requestId, args.AttemptNumber + 1, outcome, args.RetryDelay);
            return default;
        };
        // The breaker samples over at least twice the attempt timeout, as the standard pipeline requires.
        var sampling = options.RequestTimeout * 2;
        resilience.CircuitBreaker.SamplingDuration = sampling > TimeSpan.FromSeconds(30) ? sampling : TimeSpan.FromSeconds(30);
    }
}
