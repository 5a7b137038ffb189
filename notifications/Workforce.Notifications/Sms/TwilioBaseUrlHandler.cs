using Microsoft.Extensions.Options;

namespace Workforce.Notifications.Sms;

/// <summary>
/// Sends the Twilio library's requests to <see cref="SmsOptions.BaseUrl"/>. The library (8.2.0, Twilio.Http.Request)
/// builds every URL as <c>"https://" + domain + ".twilio.com" + path</c> and has no setting for another root, so the
/// only way to reach a fake (or a proxy) is to rewrite scheme, host and port on the way out. A path in the base URL
/// is put in front of Twilio's. With the default base URL this changes nothing.
/// </summary>
internal sealed class TwilioBaseUrlHandler(IOptions<SmsOptions> options) : DelegatingHandler
{
    private const string TwilioHost = "api.twilio.com";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is { IsAbsoluteUri: true } uri && string.Equals(uri.Host, TwilioHost, StringComparison.OrdinalIgnoreCase))
        {
            var root = options.Value.BaseUrl;
            // Both parts are already escaped; concatenating them keeps them so.
            request.RequestUri = new Uri(root.GetLeftPart(UriPartial.Authority) + root.AbsolutePath.TrimEnd('/') + uri.PathAndQuery);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
