using Workforce.Core.Storage;

namespace Workforce.Core.Agents;

/// <summary>Reads a tenant's agents.</summary>
public sealed class QueryAgents(IWorkforceStore store)
{
    public async Task<Outcome<Agent>> GetAsync(Caller caller, Guid agentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        return await store.FindAgentAsync(caller.TenantId, agentId, cancellationToken) is { } agent
            ? agent
            : Failure.NotFound($"Agent {agentId}");
    }

    public async Task<Outcome<Page<Agent>>> ListAsync(Caller caller, AgentFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(filter);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        if (Paging.Check(page) is { } invalid)
        {
            return invalid;
        }

        try
        {
            var normalized = filter with { Capability = filter.Capability?.Trim().ToLowerInvariant() };
            return await store.ListAgentsAsync(caller.TenantId, normalized, page, cancellationToken);
        }
        catch (InvalidCursorException)
        {
            return Paging.InvalidCursor;
        }
    }
}
