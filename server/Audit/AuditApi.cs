using Workforce.Api.Audit;
using Workforce.Core;

namespace Workforce.Server.Audit;

internal static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet(ApiRoutes.Audit, AuditEndpoints.ListAsync)
            .WithTags("Audit")
            .WithSummary("The tenant's audit log of state-changing requests (tenant key)")
            .WithDescription("Every POST, PUT, PATCH and DELETE made with one of the tenant's keys, newest first: actor (key:<first 12 hex of the key's SHA-256> " +
                "or agent:<id>), action (method and route template, e.g. `POST v1/tasks/{id}/cancel`), target (route values, or where a created resource is), " +
                "status, client IP, time, requestId (the traceId of problem responses) and traceId. from and to (ISO 8601; default the last 7 days), " +
                "actor and action match exactly; limit (1-500, default 50) and cursor page. Entries are written within about a second and kept 90 days " +
                "(Workforce:Audit:Retention). Agent keys get 403.");
        return api;
    }
}
