using System.Security.Cryptography;
using System.Text;

namespace Workforce.Core.Tenants;

/// <summary>
/// API keys are 256 random bits; only their SHA-256 is stored. A fast hash is enough because the keys are not
/// guessable passwords, and it keeps authentication off the hot path's CPU budget.
/// </summary>
public static class ApiKeys
{
    public const string TenantKeyPrefix = "wfk_";
    public const string AgentKeyPrefix = "wfa_";

    public static string NewTenantKey() => TenantKeyPrefix + RandomSecret();

    public static string NewAgentKey() => AgentKeyPrefix + RandomSecret();

    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return Convert.ToHexStringLower(hash);
    }

    private static string RandomSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
