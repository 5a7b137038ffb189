namespace Workforce.Core;

/// <summary>
/// Who is making a request: a tenant key acts for the whole tenant, an agent key only as its own agent.
/// </summary>
public sealed record Caller(string TenantId, Guid? AgentId = null)
{
    public bool IsAgent => AgentId is not null;

    public bool MayActAs(Guid agentId) => AgentId is null || AgentId == agentId;

    public static Caller Tenant(string tenantId) => new(tenantId);

    public static Caller Agent(string tenantId, Guid agentId) => new(tenantId, agentId);
}
