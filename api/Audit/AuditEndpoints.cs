using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core.Audit;
using Workforce.Core.Storage;

namespace Workforce.Api.Audit;

/// <summary>The handler of the audit route.</summary>
public static class AuditEndpoints
{
    public static async Task<Results<Ok<PageResponse<AuditEntryResponse>>, ProblemHttpResult>> ListAsync(
        QueryAuditLog query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? actor = null, string? action = null, int limit = PageRequest.DefaultLimit, string? cursor = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.ExecuteAsync(user.Caller(), from, to, actor, action, new PageRequest(limit, cursor), cancellationToken);
        return outcome.Value is { } page
            ? TypedResults.Ok(PageResponse<AuditEntryResponse>.From(page, AuditEntryResponse.Of))
            : outcome.Failure!.ToProblem(context);
    }
}

/// <summary>One audited request as the API shows it.</summary>
public sealed record AuditEntryResponse(
    string Id, DateTimeOffset At, string Actor, string Action, string? Target, int Status, string? ClientIp, string? RequestId, string? TraceId)
{
    public static AuditEntryResponse Of(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Id, entry.At, entry.Actor, entry.Action, entry.Target, entry.Status, entry.ClientIp, entry.RequestId, entry.TraceId);
    }
}
