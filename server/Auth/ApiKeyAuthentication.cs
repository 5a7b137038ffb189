using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Workforce.Core;
using Workforce.Server.Http;

namespace Workforce.Server.Auth;

/// <summary>
/// Authenticates the <c>X-API-Key</c> header as the platform admin, a tenant, or one agent of a tenant.
/// A missing or unknown key is answered with 401 problem+json, a key without the right to act with 403.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CallerCache callers,
    IOptions<AdminOptions> admin)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-API-Key";

    private readonly byte[]? _adminKey = string.IsNullOrEmpty(admin.Value.ApiKey) ? null : Encoding.UTF8.GetBytes(admin.Value.ApiKey);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (_adminKey is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), _adminKey))
        {
            return Success(CallerClaims.Admin());
        }

        var holder = await callers.FindAsync(key, Context.RequestAborted);
        return holder is null
            ? AuthenticateResult.Fail("The API key is not valid.")
            : Success(CallerClaims.For(holder));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var detail = Request.Headers.ContainsKey(Header)
            ? "The X-API-Key header does not hold a valid key."
            : "Send your tenant or agent key in the X-API-Key header.";
        return new Failure(FailureKind.Unauthorized, detail).ToProblem(Context).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var detail = Context.User.IsInRole(CallerClaims.AdminRole)
            ? "The admin key only administers tenants; use a tenant or agent key for this request."
            : Context.User.HasClaim(claim => claim.Type == CallerClaims.AgentClaim)
                ? Failures.AgentKeyNotAllowed.Detail
                : "Only the platform admin key (WORKFORCE_ADMIN_KEY) may do this.";
        return Failure.Forbidden(detail).ToProblem(Context).ExecuteAsync(Context);
    }

    private static AuthenticateResult Success(ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
}

/// <summary>Bound from <c>Workforce:Admin</c>; <c>WORKFORCE_ADMIN_KEY</c> sets the key.</summary>
public sealed class AdminOptions
{
    public const string Section = "Workforce:Admin";

    /// <summary>The platform admin key that may create tenants. Unset: tenant administration is disabled.</summary>
    public string? ApiKey { get; set; }
}
