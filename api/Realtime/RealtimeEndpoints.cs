using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core;

namespace Workforce.Api.Realtime;

/// <summary>The handler of the v1 realtime route: a browser exchanges its tenant key for a hub access token.</summary>
public static class RealtimeEndpoints
{
    public static Results<Ok<RealtimeTokenResponse>, ProblemHttpResult> IssueToken(
        RealtimeAccessTokens tokens, RealtimeHubAddress hub, ClaimsPrincipal user, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(hub);
        var caller = user.Caller();
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed.ToProblem(context);
        }

        var (token, expiresAt) = tokens.Issue(caller.TenantId, user.KeyId()!);
        return TypedResults.Ok(new RealtimeTokenResponse(token, expiresAt, hub.For(caller.TenantId)));
    }
}
