using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Realtime;

/// <summary>What an access token vouches for: the tenant, and the hash of the key that asked for it.</summary>
internal sealed record RealtimeGrant(string TenantId, string KeyHash, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived access tokens for the hub, for browsers, which cannot send an <c>X-API-Key</c> header on a WebSocket
/// and so must put a credential in the URL. A token is never the key itself: it is
/// <c>base64url(tenant \n keyHash \n expiry) "." base64url(HMAC-SHA256)</c>, signed with a server secret, so it can
/// neither be forged nor outlive its lifetime, and it reveals only the key's hash.
/// </summary>
internal sealed class RealtimeAccessTokens
{
    public const string KeyFileName = "realtime-token.key";

    private readonly byte[] _secret;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;

    public RealtimeAccessTokens(IOptions<RealtimeOptions> options, IOptions<SqliteStorageOptions> storage, TimeProvider clock)
    {
        _secret = options.Value.TokenSigningKey is { } configured
            ? Convert.FromBase64String(configured)
            : LoadOrCreateSecret(Path.Combine(storage.Value.DataDirectory, KeyFileName));
        _lifetime = options.Value.AccessTokenLifetime;
        _clock = clock;
    }

    public (string Token, DateTimeOffset ExpiresAt) Issue(string tenantId, string keyHash)
    {
        var expiresAt = _clock.GetUtcNow() + _lifetime;
        var claims = Encoding.UTF8.GetBytes(string.Join('\n', tenantId, keyHash, expiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        return ($"{Base64Url.EncodeToString(claims)}.{Base64Url.EncodeToString(HMACSHA256.HashData(_secret, claims))}", expiresAt);
    }

    /// <returns>The grant, or null when the token is malformed, forged or expired.</returns>
    public RealtimeGrant? Read(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !TryDecode(token.AsSpan(0, dot), out var claims) || !TryDecode(token.AsSpan(dot + 1), out var signature)
            || !CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_secret, claims)))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(claims).Split('\n');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresMs))
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expiresMs);
        return expiresAt > _clock.GetUtcNow() ? new RealtimeGrant(parts[0], parts[1], expiresAt) : null;
    }

    private static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (!Base64Url.TryDecodeFromChars(text, bytes, out var written))
        {
            return false;
        }

        bytes = bytes[..written];
        return true;
    }

    /// <summary>The secret is made once per data directory, readable by the server's user only.</summary>
    private static byte[] LoadOrCreateSecret(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        var secret = RandomNumberGenerator.GetBytes(RealtimeOptions.MinSigningKeyBytes);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var access = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            access.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var file = new FileStream(path, access);
            file.Write(secret);
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another server process on the same data directory wrote it first; use theirs.
            return File.ReadAllBytes(path);
        }
    }
}
