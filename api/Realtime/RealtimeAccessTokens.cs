using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Workforce.Api.Realtime;

/// <summary>What an access token vouches for: the tenant, and the hash of the key that asked for it.</summary>
public sealed record RealtimeGrant(string TenantId, string KeyHash, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived access tokens for the live-updates hub, for browsers, which cannot send an <c>X-API-Key</c> header on a
/// WebSocket and so must put a credential in the URL. A token is never the key itself: it is
/// <c>base64url(tenant \n keyHash \n expiry) "." base64url(HMAC-SHA256)</c>, signed with a secret of the host, so it
/// can neither be forged nor outlive its lifetime, and it reveals only the key's hash.
/// </summary>
public sealed class RealtimeAccessTokens(byte[] secret, TimeSpan lifetime, TimeProvider clock)
{
    public (string Token, DateTimeOffset ExpiresAt) Issue(string tenantId, string keyHash)
    {
        var expiresAt = clock.GetUtcNow() + lifetime;
        var claims = Encoding.UTF8.GetBytes(string.Join('\n', tenantId, keyHash, expiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        return ($"{Base64Url.EncodeToString(claims)}.{Base64Url.EncodeToString(HMACSHA256.HashData(secret, claims))}", expiresAt);
    }

    /// <returns>The grant, or null when the token is malformed, forged or expired.</returns>
    public RealtimeGrant? Read(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !TryDecode(token.AsSpan(0, dot), out var claims) || !TryDecode(token.AsSpan(dot + 1), out var signature)
            || !CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(secret, claims)))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(claims).Split('\n');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresMs))
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expiresMs);
        return expiresAt > clock.GetUtcNow() ? new RealtimeGrant(parts[0], parts[1], expiresAt) : null;
    }

    /// <summary>
    /// False for text that is not base64url. The decoder throws on some of it (padding in the wrong place, say), and
    /// <see cref="Base64Url.IsValid(ReadOnlySpan{char})"/> lets some of that through: a token is the caller's input.
    /// </summary>
    private static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        try
        {
            if (!Base64Url.TryDecodeFromChars(text, bytes, out var written))
            {
                return false;
            }

            bytes = bytes[..written];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
