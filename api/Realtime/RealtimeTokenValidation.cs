using Workforce.Api.Auth;
using Workforce.Core;
using Workforce.Core.Tenants;

namespace Workforce.Api.Realtime;

/// <summary>
/// Accepts a hub access token only while the key that asked for it is still a valid tenant key of the tenant the
/// token names: revoking the key ends its tokens too.
/// </summary>
public sealed class RealtimeTokenValidation(RealtimeAccessTokens tokens, ITenantDirectory directory)
{
    /// <summary>The refusal of a hub request whose token is missing, forged, expired or no longer backed by its key.</summary>
    public static readonly Failure Refused = new(FailureKind.Unauthorized,
        $"The access token is not valid or has expired; get a new one from POST /{ApiRoutes.Prefix}/{ApiRoutes.RealtimeToken} with your API key.");

    /// <returns>The key the token stands for, or null when the token or its key is not valid.</returns>
    public async Task<KeyHolder?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (tokens.Read(token) is not { } grant)
        {
            return null;
        }

        var caller = await directory.FindCallerAsync(grant.KeyHash, cancellationToken);
        return caller is null || caller.IsAgent || caller.TenantId != grant.TenantId ? null : new KeyHolder(caller, grant.KeyHash);
    }
}
