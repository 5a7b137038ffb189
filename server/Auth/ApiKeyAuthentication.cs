using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Workforce.Api.Auth;
using Workforce.Api.Http;

namespace Workforce.Server.Auth;

/// <summary>
/// Authenticates the <c>X-API-Key</c> header as the platform admin, a tenant, or one agent of a tenant.
/// A missing or unknown key is answered with 401 problem+json, a key without the right to act with 403.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyAuthentication keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[KeyAuthentication.Header].ToString();
        if (key.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        return await keys.AuthenticateAsync(key, Context.RequestAborted) is { } user
            ? AuthenticateResult.Success(new AuthenticationTicket(user, KeyAuthentication.SchemeName))
            : AuthenticateResult.Fail("The API key is not valid.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        KeyAuthentication.Unauthenticated(Request.Headers.ContainsKey(KeyAuthentication.Header)).ToProblem(Context).ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        KeyAuthentication.Forbidden(Context.User).ToProblem(Context).ExecuteAsync(Context);
}
