using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Api.Realtime;
using Workforce.Core;
using Workforce.Core.Tenants;

namespace Workforce.Server.Realtime;

/// <summary>
/// Authenticates hub requests that carry an access token instead of an API key: in the <c>access_token</c> query
/// value (WebSockets and server-sent events, where browsers cannot set headers) or as a bearer token (the SignalR
/// client's negotiate request). The token counts only while the key that asked for it is still valid.
/// </summary>
internal sealed class RealtimeTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    RealtimeAccessTokens tokens,
    ITenantDirectory directory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "RealtimeToken";
    public const string QueryName = "access_token";
    private const string BearerPrefix = "Bearer ";

    /// <summary>Hub requests without an API key but with a token; every other request authenticates by its key.</summary>
    public static bool Applies(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        return request.Path.StartsWithSegments("/" + ApiRoutes.Prefix + "/" + ApiRoutes.RealtimeHub)
            && !request.Headers.ContainsKey(KeyAuthentication.Header)
            && (request.Query.ContainsKey(QueryName) || request.Headers.Authorization.ToString().StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase));
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Request.Query[QueryName].ToString();
        if (token.Length == 0 && Request.Headers.Authorization.ToString() is var authorization
            && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            token = authorization[BearerPrefix.Length..].Trim();
        }

        if (tokens.Read(token) is not { } grant)
        {
            return AuthenticateResult.Fail("The access token is not valid or has expired.");
        }

        var caller = await directory.FindCallerAsync(grant.KeyHash, Context.RequestAborted);
        if (caller is null || caller.IsAgent || caller.TenantId != grant.TenantId)
        {
            return AuthenticateResult.Fail("The key that asked for the access token is no longer valid.");
        }

        var principal = CallerClaims.For(new KeyHolder(caller, grant.KeyHash));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        new Failure(FailureKind.Unauthorized,
                $"The access token is not valid or has expired; get a new one from POST /{ApiRoutes.Prefix}/{ApiRoutes.RealtimeToken} with your API key.")
            .ToProblem(Context).ExecuteAsync(Context);
}
