using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Workforce.Api.Auth;
using Workforce.Core;

namespace Workforce.Api.RateLimiting;

/// <summary>
/// One limiter for the whole API, partitioned by key for authenticated requests and by client IP otherwise, for
/// both hosts. It must see a request after authentication, so that it knows which requests carry a valid key.
/// </summary>
public static class ApiRateLimiter
{
    public static PartitionedRateLimiter<HttpContext> Create(RateLimitOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (context.User.KeyId() is { } keyId)
            {
                return PerMinute("key:" + keyId, limits.KeyPermitsPerMinute);
            }

            return context.Request.Path.StartsWithSegments("/" + ApiRoutes.Prefix + "/" + ApiRoutes.Health)
                ? RateLimitPartition.GetNoLimiter("health")
                : PerMinute("ip:" + context.Connection.RemoteIpAddress, limits.PermitsPerMinute);
        });
    }

    /// <summary>The 429 for a request the limiter turned away, with the wait it named as Retry-After.</summary>
    public static Failure Rejection(RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return new Failure(FailureKind.QueueFull, $"Too many requests; retry after {Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s.")
        {
            RetryAfter = retryAfter,
        };
    }

    private static RateLimitPartition<string> PerMinute(string partition, int permits) =>
        permits <= 0
            ? RateLimitPartition.GetNoLimiter(partition)
            : RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
}
