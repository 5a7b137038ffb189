using System.Globalization;
using System.Security.Claims;
using Workforce.Core;

namespace Workforce.Api.Auth;

/// <summary>How a <see cref="Caller"/> travels through ASP.NET Core: as claims on the request's user.</summary>
public static class CallerClaims
{
    public const string TenantClaim = "workforce:tenant";
    public const string AgentClaim = "workforce:agent";
    public const string KeyClaim = "workforce:key";
    public const string AdminRole = "admin";

    /// <summary>The default scheme: forwards each request to the API-key or the access-token scheme.</summary>
    public const string CallerScheme = "Caller";

    /// <summary>Tenant and agent keys may call the v1 API; what an agent key may do is decided per use case.</summary>
    public const string ApiPolicy = "api";

    public const string AdminPolicy = "admin";

    public static ClaimsPrincipal For(KeyHolder holder)
    {
        List<Claim> claims =
        [
            new(TenantClaim, holder.Caller.TenantId),
            new(KeyClaim, holder.KeyHash),
        ];
        if (holder.Caller.AgentId is { } agentId)
        {
            claims.Add(new(AgentClaim, agentId.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, KeyAuthentication.SchemeName));
    }

    public static ClaimsPrincipal Admin() =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Role, AdminRole), new Claim(KeyClaim, "admin")], KeyAuthentication.SchemeName));

    /// <summary>The caller of an endpoint that requires <see cref="ApiPolicy"/>.</summary>
    public static Caller Caller(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var tenant = user.FindFirstValue(TenantClaim) ?? throw new InvalidOperationException("The endpoint must require the api policy.");
        var agent = user.FindFirstValue(AgentClaim);
        return new Caller(tenant, agent is null ? null : Guid.Parse(agent, CultureInfo.InvariantCulture));
    }

    /// <summary>Identifies the key a request was made with, for rate limiting; null when it was unauthenticated.</summary>
    public static string? KeyId(this ClaimsPrincipal user) => user.FindFirstValue(KeyClaim);
}
