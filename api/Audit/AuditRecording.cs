using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Workforce.Core;

namespace Workforce.Api.Audit;

/// <summary>
/// The standalone server's recording: every state-changing request to a v1 or admin route (everything under
/// <c>/api/v1/</c>) with a valid key is handed to the <see cref="AuditRecorder"/> once it is answered, with the status
/// it was answered with — refusals by authorization, the rate limiter, the binder and the use cases included. It runs
/// first, so the status is the one the client saw, after the exception handler turned a crash into a 500.
/// </summary>
public sealed class AuditRecording(RequestDelegate next, AuditRecorder recorder, TimeProvider clock)
{
    private const string Audited = "/" + ApiRoutes.Prefix + "/v1/";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Taken now: the exception handler clears the endpoint when it answers for a crash.
        if (!AuditedRequest.IsStateChanging(context.Request.Method)
            || context.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } template }
            || !template.StartsWith(Audited, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var routeValues = new RouteValueDictionary(context.Request.RouteValues);
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            context.Request.RouteValues = routeValues;
            if (AuditedRequest.Describe(context, template, status, clock.GetUtcNow()) is { } entry)
            {
                recorder.Record(entry);
            }
        }
    }
}

public static class AuditRecordingExtensions
{
    /// <summary>Records the state-changing v1 and admin requests; first in the pipeline, after routing.</summary>
    public static IApplicationBuilder UseAuditLog(this IApplicationBuilder app) => app.UseMiddleware<AuditRecording>();
}
