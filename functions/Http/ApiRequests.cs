using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workforce.Api.Audit;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Api.RateLimiting;
using Workforce.Api.Usage;
using Workforce.Core;
using Workforce.Functions.Changes;
using Workforce.Functions.Realtime;
using Workforce.Orchestrations.BillingCycle;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Functions.Http;

/// <summary>
/// Runs one API request in an HTTP trigger the way the standalone server's pipeline runs it — the body limited, the
/// X-API-Key authenticated, the request rate-limited per key or client IP and then authorized, the call metered against the tenant's quota, the shared handler bound and
/// invoked, a request that cannot be read refused with problem+json (thrown by the binder, or answered by it with a
/// bare status) — and then does what the server's background services do later: tells the lifecycle workflows
/// about the tasks the request changed, and returns the request's live updates. A state-changing request with a valid
/// key is handed to the audit log once it is answered, refusals included, as the server's audit middleware does.
/// </summary>
public sealed partial class ApiRequests(
    MinimalApiHandlers handlers,
    KeyAuthentication keys,
    IOptions<WorkforceHttpOptions> http,
    PartitionedRateLimiter<HttpContext> limiter,
    LifecycleEventRelay lifecycle,
    LiveUpdates liveUpdates,
    ApiCallMeter apiCalls,
    BillingCycleStarts billingCycles,
    StartBillingCycle startBillingCycle,
    TimeProvider clock,
    AuditRecorder audit,
    ILogger<ApiRequests> logger)
{
    /// <param name="function">The HTTP function's name, by which its route template is found for the audit log.</param>
    public async Task<ApiResponse> InvokeAsync(HttpRequest request, ApiAccess access, Delegate handler, [CallerMemberName] string function = "")
    {
        var changes = InvocationChanges.Record();
        var context = request.HttpContext;
        if (await RefusalAsync(context, access) is { } refusal)
        {
            await refusal.ToProblem(context).ExecuteAsync(context);
            Audit(context, function);
            return new ApiResponse(null);
        }

        await HandleAsync(context, handler);
        Audit(context, function);
        // Not the request's token: a client that hangs up after the commit must not keep its change from the workflows.
        await lifecycle.RaiseAsync(changes.Transitions, CancellationToken.None);
        return new ApiResponse(await liveUpdates.ForAsync(changes, CancellationToken.None));
    }

    private async Task<Failure?> RefusalAsync(HttpContext context, ApiAccess access)
    {
        if (RequestBodyChecks.Check(context, http.Value.MaxRequestBodyBytes) is { } refused)
        {
            return refused;
        }

        if (access == ApiAccess.Anyone)
        {
            return RateLimited(context);
        }

        var key = context.Request.Headers[KeyAuthentication.Header].ToString();
        if (key.Length == 0 || await keys.AuthenticateAsync(key, context.RequestAborted) is not { } user)
        {
            return RateLimited(context) ?? KeyAuthentication.Unauthenticated(keySent: context.Request.Headers.ContainsKey(KeyAuthentication.Header));
        }

        context.User = user;
        if (RateLimited(context) is { } limited)
        {
            return limited;
        }

        if (!access.Allows(user))
        {
            return KeyAuthentication.Forbidden(user);
        }

        if (access != ApiAccess.TenantOrAgent)
        {
            return null;
        }

        var caller = user.Caller();
        await billingCycles.EnsureAsync(caller.TenantId, startBillingCycle);
        var refusal = await apiCalls.AdmitAsync(caller, context.RequestAborted);
        var now = clock.GetUtcNow();
        QuotaHeaders.Write(context.Response, apiCalls.LastKnown(caller.TenantId), now);
        return refusal?.ToFailure(now);
    }

    /// <summary>
    /// Where the server's rate limiter sits: after authentication, so that a valid key is limited as itself, and
    /// before authorization and metering. The client IP of a request without a valid key is the connection's address,
    /// which the worker's ASP.NET Core integration has already set from the last X-Forwarded-For entry the Functions
    /// host sends, the address the platform saw the request come from (behind Front Door or API Management, theirs).
    /// Not the header's leftmost entry: the client writes that itself, and could give every guess a partition of its own.
    /// </summary>
    private Failure? RateLimited(HttpContext context)
    {
        using var lease = limiter.AttemptAcquire(context);
        return lease.IsAcquired ? null : ApiRateLimiter.Rejection(lease);
    }

    private async Task HandleAsync(HttpContext context, Delegate handler)
    {
        try
        {
            await handlers.For(handler)(context);
            if (IsBodylessFailure(context.Response))
            {
                // What the server's status-code pages do: the binder refuses some requests with a bare status (a body
                // that breaks off or outgrows the limit while it is read); the caller still gets a problem saying why.
                await TypedResults.Problem(statusCode: context.Response.StatusCode).ExecuteAsync(context);
            }
        }
        catch (Exception e) when (RequestFailures.Of(e) is { } unreadable)
        {
            await unreadable.ToProblem(context).ExecuteAsync(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As the server's exception handler: the details go to the log, the caller gets a trace id.
            LogUnhandled(logger, e, context.Request.Method, context.Request.Path);
            await TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError).ExecuteAsync(context);
        }
    }

    private void Audit(HttpContext context, string function)
    {
        if (AuditedRequest.IsStateChanging(context.Request.Method) && HttpFunctionRoutes.Of(function) is { } route
            && AuditedRequest.Describe(context, route, context.Response.StatusCode, clock.GetUtcNow()) is { } entry)
        {
            audit.Record(entry);
        }
    }

    /// <summary>The conditions under which ASP.NET Core's status-code pages write a body for a status.</summary>
    private static bool IsBodylessFailure(HttpResponse response) =>
        response is { HasStarted: false, StatusCode: >= 400 and < 600, ContentLength: null } && string.IsNullOrEmpty(response.ContentType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
