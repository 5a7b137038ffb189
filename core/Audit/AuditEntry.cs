namespace Workforce.Core.Audit;

/// <summary>
/// One state-changing request as it was answered: who made it (<see cref="Actor"/>, never a key), from where, what it
/// did (<see cref="Action"/>: the method and route template, <c>POST v1/tasks</c>), to what (<see cref="Target"/>: the
/// route values, <c>id=…</c>), with which status, when, and under which request: <see cref="RequestId"/> is the
/// <c>traceId</c> of the request's problem details, <see cref="TraceId"/> the W3C trace id when it was traced.
/// Admin requests are kept under <see cref="PlatformTenant"/>.
/// </summary>
public sealed record AuditEntry(
    string Id,
    string TenantId,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? Target,
    int Status,
    string? ClientIp,
    string? RequestId,
    string? TraceId)
{
    /// <summary>Where the platform admin's requests are kept: tenant ids never start with '_'.</summary>
    public const string PlatformTenant = "_platform";

    /// <summary>The platform admin key's actor.</summary>
    public const string AdminActor = "admin";

    /// <summary>A tenant key's actor: a prefix of the key's SHA-256, which names the key without letting anyone use it.</summary>
    public static string TenantKeyActor(string keyHash)
    {
        ArgumentNullException.ThrowIfNull(keyHash);
        return "key:" + keyHash[..Math.Min(12, keyHash.Length)];
    }

    public static string AgentActor(Guid agentId) => "agent:" + agentId.ToString("D");
}

/// <summary>A query of one tenant's audit log: entries at or after <paramref name="From"/> and before <paramref name="To"/>, optionally of one actor or one action.</summary>
public sealed record AuditQuery(string TenantId, DateTimeOffset From, DateTimeOffset To, string? Actor, string? Action);
