using System.Security.Claims;
using Workforce.Api.Auth;

namespace Workforce.Functions.Http;

/// <summary>Who may call a route; the same rules as the standalone server's authorization policies.</summary>
public enum ApiAccess
{
    /// <summary>No key needed (the liveness probe).</summary>
    Anyone,

    /// <summary>A tenant or agent key (the v1 API; what an agent key may do is decided per use case).</summary>
    TenantOrAgent,

    /// <summary>A tenant or agent key on the usage, subscription, billing, notification and live-token routes: not metered, and open when a quota is used up.</summary>
    Account,

    /// <summary>The platform admin key (tenant administration).</summary>
    Admin,
}

internal static class ApiAccessRules
{
    public static bool Allows(this ApiAccess access, ClaimsPrincipal user) => access switch
    {
        ApiAccess.TenantOrAgent or ApiAccess.Account => user.HasClaim(claim => claim.Type == CallerClaims.TenantClaim),
        ApiAccess.Admin => user.IsInRole(CallerClaims.AdminRole),
        _ => true,
    };
}
