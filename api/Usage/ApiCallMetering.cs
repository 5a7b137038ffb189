using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Orchestrations.BillingCycle;

namespace Workforce.Api.Usage;

/// <summary>
/// Counts every call of the metered v1 routes against the tenant's API-call quota, refuses it with 429 when the
/// quota is used up, and adds the RateLimit headers of the tightest quota to the response. A tenant's first call in
/// this process also makes sure its billing cycle runs.
/// </summary>
public sealed class ApiCallMetering(ApiCallMeter meter, BillingCycleStarts billingCycles, TimeProvider clock) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var caller = http.User.Caller();
        await billingCycles.EnsureAsync(caller.TenantId, http.RequestServices.GetRequiredService<StartBillingCycle>());
        var refusal = await meter.AdmitAsync(caller, http.RequestAborted);
        var now = clock.GetUtcNow();
        QuotaHeaders.Write(http.Response, meter.LastKnown(caller.TenantId), now);
        return refusal is null ? await next(context) : refusal.ToFailure(now).ToProblem(http);
    }
}
