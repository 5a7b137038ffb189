using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Workforce.Core;

namespace Workforce.Api.Auth;

/// <summary>
/// Who an <c>X-API-Key</c> belongs to — the platform admin, a tenant, or one agent of a tenant — and what a request
/// that may not go on is refused with: 401 without a valid key, 403 with a key that may not do this. The server's
/// authentication handler and the Functions app's HTTP triggers both authenticate through it.
/// </summary>
public sealed class KeyAuthentication(CallerCache callers, IOptions<AdminOptions> admin)
{
    public const string Header = "X-API-Key";
    public const string SchemeName = "ApiKey";

    private readonly byte[]? _adminKey = string.IsNullOrEmpty(admin.Value.ApiKey) ? null : Encoding.UTF8.GetBytes(admin.Value.ApiKey);

    /// <returns>The key's holder as claims, or null when the key is not valid.</returns>
    public async ValueTask<ClaimsPrincipal?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_adminKey is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), _adminKey))
        {
            return CallerClaims.Admin();
        }

        return await callers.FindAsync(key, cancellationToken) is { } holder ? CallerClaims.For(holder) : null;
    }

    /// <summary>The refusal of a request that carries no valid key.</summary>
    public static Failure Unauthenticated(bool keySent) => new(FailureKind.Unauthorized, keySent
        ? "The X-API-Key header does not hold a valid key."
        : "Send your tenant or agent key in the X-API-Key header.");

    /// <summary>The refusal of a request whose key is valid but may not do this.</summary>
    public static Failure Forbidden(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Failure.Forbidden(user.IsInRole(CallerClaims.AdminRole)
            ? "The admin key only administers tenants; use a tenant or agent key for this request."
            : user.HasClaim(claim => claim.Type == CallerClaims.AgentClaim)
                ? Failures.AgentKeyNotAllowed.Detail
                : "Only the platform admin key (WORKFORCE_ADMIN_KEY) may do this.");
    }
}
