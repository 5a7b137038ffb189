using Microsoft.Extensions.Options;

namespace Workforce.Payments.PayPal;

/// <summary>
/// Checks at start-up what data annotations cannot: the credentials come as a pair, the API is reached over HTTPS
/// (plain HTTP only on loopback, for a local fake), and the timeouts fit inside each other.
/// </summary>
internal sealed class PayPalOptionsValidation : IValidateOptions<PayPalOptions>
{
    public ValidateOptionsResult Validate(string? name, PayPalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClientId) != string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add($"Set both {PayPalOptions.Section}:ClientId and {PayPalOptions.Section}:ClientSecret, or neither (offline billing).");
        }

        if (options.BaseUrl is not { IsAbsoluteUri: true } url
            || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            failures.Add($"{PayPalOptions.Section}:BaseUrl must be an absolute https URL (http only on loopback), e.g. {PayPalOptions.SandboxUrl}.");
        }

        if (options.IsConfigured && string.IsNullOrWhiteSpace(options.WebhookId))
        {
            failures.Add($"With PayPal credentials set, set {PayPalOptions.Section}:WebhookId too: webhook deliveries cannot be verified without it.");
        }

        if (options.TotalTimeout <= options.RequestTimeout)
        {
            failures.Add($"{PayPalOptions.Section}:TotalTimeout ({options.TotalTimeout}) must be longer than RequestTimeout ({options.RequestTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
