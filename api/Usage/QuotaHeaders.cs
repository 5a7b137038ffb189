using System.Globalization;
using Microsoft.AspNetCore.Http;
using Workforce.Core.Usage;

namespace Workforce.Api.Usage;

/// <summary>
/// The tightest quota of the subscription as the IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers):
/// <c>RateLimit-Policy: "tasks";q=1000;w=2592000</c> and <c>RateLimit: "tasks";r=250;t=86400</c> — the quota, the
/// window in seconds, what remains and the seconds until the period resets.
/// </summary>
public static class QuotaHeaders
{
    public const string Policy = "RateLimit-Policy";
    public const string Limit = "RateLimit";

    public static void Write(HttpResponse response, UsageReport? report)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (report?.Tightest() is not var (meter, usage))
        {
            return;
        }

        var name = MeterNames.Of(meter);
        var window = (long)report.Period.Length.TotalSeconds;
        var reset = Math.Max(0, (long)Math.Ceiling((report.Period.End - report.AsOf).TotalSeconds));
        response.Headers[Policy] = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={(long)usage.Limit!.Value};w={window}");
        response.Headers[Limit] = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";r={(long)Math.Floor(usage.Remaining!.Value)};t={reset}");
    }
}
