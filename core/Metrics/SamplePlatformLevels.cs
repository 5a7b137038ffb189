using Workforce.Core.Agents;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;

namespace Workforce.Core.Metrics;

/// <summary>
/// Reads the platform's levels — pending and held tasks, agents by status and their slots, every work queue's
/// counts — summed over all tenants, into <see cref="PlatformLevels"/>. One task count and one agent listing per
/// tenant and one queue count in all, run every few seconds by the host rather than on each scrape.
/// </summary>
public sealed class SamplePlatformLevels(ITenantDirectory tenants, IWorkforceStore store, IWorkQueues queues, PlatformLevels levels, TimeProvider clock)
{
    public async Task ExecuteAsync(CancellationToken cancellationToken = default)
    {
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
        levels.Replace(new LevelsSample(pending, assigned, running, agents, slotsUsed, slotsCapacity, queueCounts, clock.GetUtcNow()));
    }
}
