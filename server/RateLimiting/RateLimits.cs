using Workforce.Api.Http;
using Workforce.Api.RateLimiting;

namespace Workforce.Server.RateLimiting;

/// <summary>
/// The API's limiter (<see cref="ApiRateLimiter"/>) as ASP.NET Core's rate-limiting middleware. It runs after
/// authentication, so it knows which requests carry a valid key.
/// </summary>
internal static class RateLimits
{
    public static IServiceCollection AddWorkforceRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = ApiRateLimiter.Create(limits);
            options.OnRejected = (rejected, cancellationToken) =>
                new ValueTask(ApiRateLimiter.Rejection(rejected.Lease).ToProblem(rejected.HttpContext).ExecuteAsync(rejected.HttpContext));
        });
    }
}
