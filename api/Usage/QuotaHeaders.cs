using System.Globalization;
using Microsoft.AspNetCore.Http;
using Workforce.Core.Plans;
using Workforce.Core.Subscriptions;
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

    /// <remarks>On every metered response, so it only compares the four meters, in their own units.</remarks>
    public static void Write(HttpResponse response, QuotaStanding? standing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (standing is not var (plan, usage, period))
        {
            return;
        }

        (Meter Meter, long Limit, double Share)? tightest = null;
        foreach (var meter in Meters)
        {
            if (plan.Limits.For(meter) is { } limit && (limit == 0 ? 1d : usage.Used(meter) / (double)limit) is var share && share > (tightest?.Share ?? -1))
            {
                tightest = (meter, limit, share);
            }
        }

        if (tightest is not var (tight, quota, _))
        {
            return;
        }

        var name = MeterNames.Of(tight);
        var window = (long)period.Length.TotalSeconds;
        var reset = Math.Max(0, (long)Math.Ceiling((period.End - now).TotalSeconds));
        var remaining = (long)Math.Floor(MeterNames.InUnits(tight, Math.Max(0, quota - usage.Used(tight))));
        response.Headers[Policy] = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={(long)MeterNames.InUnits(tight, quota)};w={window}");
        response.Headers[Limit] = string.Create(CultureInfo.InvariantCulture, $"\"{name}\";r={remaining};t={reset}");
    }

    private static readonly Meter[] Meters = Enum.GetValues<Meter>();
}

/// <summary>Where a tenant stands against its plan's limits in a period.</summary>
public sealed record QuotaStanding(Plan Plan, PeriodUsage Usage, BillingPeriod Period);
