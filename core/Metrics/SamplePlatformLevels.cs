using Workforce.Core.Agents;
using Workforce.Core.Plans;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;
using Workforce.Core.Usage;

namespace Workforce.Core.Metrics;

/// <summary>
/// Reads the platform's levels — pending and held tasks, agents by status and their slots, every work queue's
/// counts — summed over all tenants, into <see cref="PlatformLevels"/>. One task count and one agent listing per
/// tenant and one queue count in all, run every few seconds by the host rather than on each scrape. Asked for
/// per-tenant quotas, it also reads the subscription and usage of up to that many tenants (two point reads each).
/// </summary>
public sealed class SamplePlatformLevels(
    ITenantDirectory tenants,
    IWorkforceStore store,
    IWorkQueues queues,
    PlatformLevels levels,
    PlanCatalogue plans,
    UsageMetering metering,
    TimeProvider clock)
{
    /// <param name="quotaTenants">How many tenants' quota-remaining to sample, in directory order; 0 for none.</param>
    public async Task ExecuteAsync(int quotaTenants = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quotaTenants);
        var quotas = new List<TenantQuota>();
        var quotaTenantsLeft = quotaTenants;
        var pending = TaskPriorities.All.ToDictionary(priority => priority, _ => 0L);
        var agents = Enum.GetValues<AgentStatus>().ToDictionary(status => status, _ => 0L);
        long assigned = 0, running = 0, slotsUsed = 0, slotsCapacity = 0;
        string? tenantCursor = null;
        do
        {
            var tenantPage = await tenants.ListTenantIdsAsync(new PageRequest(PageRequest.MaxLimit, tenantCursor), cancellationToken);
            foreach (var tenantId in tenantPage.Items)
            {
                var counts = await store.CountTasksAsync(tenantId, cancellationToken);
                foreach (var priority in TaskPriorities.All)
                {
                    pending[priority] += counts.PendingAt(priority);
                }

                if (quotaTenantsLeft > 0)
                {
                    quotaTenantsLeft--;
                    await SampleQuotasAsync(tenantId, quotas, cancellationToken);
                }

                assigned += counts.Assigned;
                running += counts.Running;
                string? agentCursor = null;
                do
                {
                    var agentPage = await store.ListAgentsAsync(tenantId, new AgentFilter(), new PageRequest(PageRequest.MaxLimit, agentCursor), cancellationToken);
                    foreach (var agent in agentPage.Items)
                    {
                        agents[agent.Status]++;
                        if (agent.Status != AgentStatus.Offline)
                        {
                            slotsUsed += agent.ActiveTasks;
                            slotsCapacity += agent.Capacity;
                        }
                    }

                    agentCursor = agentPage.NextCursor;
                }
                while (agentCursor is not null);
            }

            tenantCursor = tenantPage.NextCursor;
        }
        while (tenantCursor is not null);

        var queueCounts = await queues.CountAsync(null, cancellationToken);
        levels.Replace(new LevelsSample(pending, assigned, running, agents, slotsUsed, slotsCapacity, queueCounts, quotas, clock.GetUtcNow()));
    }

    /// <summary>Each limited quota of the tenant's plan now, as admission reads it (unlimited ones have no series).</summary>
    private async Task SampleQuotasAsync(string tenantId, List<TenantQuota> quotas, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var subscription = await store.FindSubscriptionAsync(tenantId, cancellationToken) ?? metering.DefaultSubscription(tenantId, now);
        var limits = subscription.PlanAt(now, plans).Limits;
        var usage = await store.FindUsageAsync(tenantId, subscription.PeriodContaining(now).Start, cancellationToken);
        foreach (var meter in Enum.GetValues<Meter>())
        {
            if (limits.For(meter) is { } limit)
            {
                quotas.Add(new TenantQuota(tenantId, meter, limit, Math.Max(0, limit - usage.Used(meter))));
            }
        }
    }
}
