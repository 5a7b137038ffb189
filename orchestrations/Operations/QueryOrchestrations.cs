using Workforce.Core;
using Workforce.Core.Storage;
using Workforce.Orchestrations.Durable;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Orchestrations.Operations;

/// <summary>
/// The operations view of orchestrations, scoped to the caller's tenant: a tenant sees the instances whose ids carry
/// its prefix (its tasks' lifecycles) and nothing of other tenants or of the platform's own jobs.
/// </summary>
public sealed class QueryOrchestrations(IOrchestrationClient orchestrations)
{
    public async Task<Outcome<OrchestrationMetadata>> GetAsync(Caller caller, string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        return instanceId.StartsWith(TaskLifecycleInstance.TenantPrefix(caller.TenantId), StringComparison.Ordinal)
            && await orchestrations.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken) is { } instance
                ? instance
                : Failure.NotFound($"Orchestration {instanceId}");
    }

    public async Task<Outcome<Page<OrchestrationMetadata>>> ListAsync(
        Caller caller, OrchestrationRuntimeStatus? status, string? name, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(page);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        if (Paging.Check(page) is { } invalid)
        {
            return invalid;
        }

        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = TaskLifecycleInstance.TenantPrefix(caller.TenantId),
            Statuses = status is { } s ? [s] : null,
            PageSize = page.Limit,
            ContinuationToken = page.Cursor,
        };
        try
        {
            var found = await orchestrations.QueryInstancesAsync(query, cancellationToken);
            return new Page<OrchestrationMetadata>([.. found.Instances.Where(i => name is null || i.Name == name)], found.ContinuationToken);
        }
        catch (ArgumentException)
        {
            return Paging.InvalidCursor;
        }
    }
}
