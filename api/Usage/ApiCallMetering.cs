using Microsoft.AspNetCore.Http;
using Workforce.Api.Auth;
using Workforce.Api.Http;

namespace Workforce.Api.Usage;

/// <summary>
/// Counts every call of the metered v1 routes against the tenant's API-call quota, refuses it with 429 when the
/// quota is used up, and adds the RateLimit headers of the tightest quota to the response.
/// </summary>
public sealed class ApiCallMetering(ApiCallMeter meter, TimeProvider clock) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var caller = http.User.Caller();
        var refusal = await meter.AdmitAsync(caller, http.RequestAborted);
        var now = clock.GetUtcNow();
        QuotaHeaders.Write(http.Response, meter.LastKnown(caller.TenantId), now);
        return refusal is null ? await next(context) : refusal.ToFailure(now).ToProblem(http);
    }
}
