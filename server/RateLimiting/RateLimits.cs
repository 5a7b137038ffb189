using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Workforce.Core;
using Workforce.Api.Auth;
using Workforce.Api.Http;

namespace Workforce.Server.RateLimiting;

/// <summary>Bound from <c>Workforce:RateLimit</c>. 0 disables a limit.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Workforce:RateLimit";

    /// <summary>Per client IP, for requests without a valid key: brute-force protection.</summary>
    [Range(0, int.MaxValue)]
    public int PermitsPerMinute { get; set; } = 100;

    /// <summary>Per API key, for authenticated requests.</summary>
    [Range(0, int.MaxValue)]
    public int KeyPermitsPerMinute { get; set; } = 60_000;
}

/// <summary>
/// One limiter for the whole API, partitioned by key for authenticated requests and by client IP otherwise.
/// It runs after authentication, so it knows which requests carry a valid key.
/// </summary>
internal static class RateLimits
{
    public static IServiceCollection AddWorkforceRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (context.User.KeyId() is { } keyId)
                {
                    return PerMinute("key:" + keyId, limits.KeyPermitsPerMinute);
                }

                return context.Request.Path.StartsWithSegments("/" + ApiRoutes.Prefix + "/" + ApiRoutes.Health)
                    ? RateLimitPartition.GetNoLimiter("health")
                    : PerMinute("ip:" + context.Connection.RemoteIpAddress, limits.PermitsPerMinute);
            });
            options.OnRejected = (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var failure = new Failure(FailureKind.QueueFull, $"Too many requests; retry after {Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s.")
                {
                    RetryAfter = retryAfter,
                };
                return new ValueTask(failure.ToProblem(rejected.HttpContext).ExecuteAsync(rejected.HttpContext));
            };
        });
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
