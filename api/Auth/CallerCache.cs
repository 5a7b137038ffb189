using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Workforce.Core;
using Workforce.Core.Tenants;

namespace Workforce.Api.Auth;

/// <summary>
/// Remembers valid keys for a short while so that authentication does not read the store on every request.
/// Unknown keys are never remembered (they would let a brute-force attempt fill the memory). A revoked agent key
/// may keep working for up to <see cref="AuthOptions.KeyCacheDuration"/>, but its agent is gone, so it can do
/// nothing.
/// </summary>
public sealed class CallerCache(ITenantDirectory directory, TimeProvider clock, IOptions<AuthOptions> options)
{
    private readonly ConcurrentDictionary<string, (KeyHolder Holder, DateTimeOffset Expires)> _holders = new(StringComparer.Ordinal);
    private readonly TimeSpan _duration = options.Value.KeyCacheDuration;

    public async ValueTask<KeyHolder?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_holders.TryGetValue(key, out var cached) && cached.Expires > now)
        {
            return cached.Holder;
        }

        var keyHash = ApiKeys.Hash(key);
        if (await directory.FindCallerAsync(keyHash, cancellationToken) is not { } caller)
        {
            _holders.TryRemove(key, out _);
            return null;
        }

        var holder = new KeyHolder(caller, keyHash);
        _holders[key] = (holder, now + _duration);
        return holder;
    }
}

/// <summary>The caller a key belongs to, and the key's hash, which identifies it without revealing it.</summary>
public sealed record KeyHolder(Caller Caller, string KeyHash);

/// <summary>Bound from <c>Workforce:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Workforce:Auth";

    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
