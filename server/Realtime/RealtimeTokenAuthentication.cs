using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Api.Realtime;
using Workforce.Core;

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
    RealtimeTokenValidation tokens)
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

        return await tokens.ValidateAsync(token, Context.RequestAborted) is { } holder
            ? AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.For(holder), SchemeName))
            : AuthenticateResult.Fail(RealtimeTokenValidation.Refused.Detail);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        RealtimeTokenValidation.Refused.ToProblem(Context).ExecuteAsync(Context);
}
