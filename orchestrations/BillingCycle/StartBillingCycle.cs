using Microsoft.DurableTask.Client;

namespace Workforce.Orchestrations.BillingCycle;

/// <summary>Starts a tenant's billing cycle, once: when the tenant is created, or on start-up for the default tenant.</summary>
public sealed class StartBillingCycle(DurableTaskClient client)
{
    /// <returns>False when the tenant's cycle is already running.</returns>
    public Task<bool> ExecuteAsync(string tenantId, CancellationToken cancellationToken = default) =>
        client.TryStartAsync(WorkflowNames.BillingCycle, BillingCycleOrchestrator.InstanceId(tenantId), tenantId, cancellationToken);
}
