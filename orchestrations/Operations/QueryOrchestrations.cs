using Microsoft.DurableTask.Client;
using Workforce.Core;
using Workforce.Core.Storage;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Orchestrations.Operations;

/// <summary>
/// The operations view of orchestrations, scoped to the caller's tenant: a tenant sees the instances whose ids carry
/// its prefix (its tasks' lifecycles) and nothing of other tenants or of the platform's own jobs.
/// </summary>
public sealed class QueryOrchestrations(DurableTaskClient orchestrations)
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

        var query = new OrchestrationQuery(
            Statuses: status is { } s ? [s] : null,
            InstanceIdPrefix: TaskLifecycleInstance.TenantPrefix(caller.TenantId),
            PageSize: page.Limit,
            FetchInputsAndOutputs: false,
            ContinuationToken: page.Cursor);
        try
        {
            await foreach (var found in orchestrations.GetAllInstancesAsync(query).AsPages(page.Cursor, page.Limit).WithCancellation(cancellationToken))
            {
                return new Page<OrchestrationMetadata>([.. found.Values.Where(i => name is null || i.Name == name)], found.ContinuationToken);
            }

            return new Page<OrchestrationMetadata>([], null);
        }
        catch (ArgumentException)
        {
            return Paging.InvalidCursor;
        }
    }
}
