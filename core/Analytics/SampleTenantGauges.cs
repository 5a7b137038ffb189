using Workforce.Core.Agents;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;

namespace Workforce.Core.Analytics;

/// <summary>
/// Takes one minute's sample of a tenant's levels — pending tasks per priority, agents online, slots busy and
/// available — into its gauges. The batch is named after the minute, so however many nodes or retries sample the
/// same minute, it counts once.
/// </summary>
public sealed class SampleTenantGauges(IWorkforceStore store, IAnalyticsStore analytics, TimeProvider clock)
{
    public async Task ExecuteAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var minute = AnalyticsRollup.StartOf(RollupResolution.Minute, clock.GetUtcNow());
        var counts = await store.CountTasksAsync(tenantId, cancellationToken);
        long online = 0, busy = 0, capacity = 0;
        string? cursor = null;
        do
        {
            var page = await store.ListAgentsAsync(tenantId, new AgentFilter(), new PageRequest(PageRequest.MaxLimit, cursor), cancellationToken);
            foreach (var agent in page.Items.Where(agent => agent.Status != AgentStatus.Offline))
            {
                online++;
                busy += agent.ActiveTasks;
                capacity += agent.Capacity;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var rollups = new List<AnalyticsRollup>(2);
        foreach (var resolution in new[] { RollupResolution.Minute, RollupResolution.Hour })
        {
            var values = new RollupValues();
            foreach (var priority in TaskPriorities.All)
            {
                values.Sample(AnalyticsValues.QueueDepth(priority), counts.PendingAt(priority));
            }

            values.Sample(AnalyticsValues.AgentsOnline, online);
            values.Sample(AnalyticsValues.SlotsBusy, busy);
            values.Sample(AnalyticsValues.SlotsCapacity, capacity);
            rollups.Add(new AnalyticsRollup(AnalyticsSeries.Gauges, resolution, AnalyticsRollup.StartOf(resolution, minute), values));
        }

        await analytics.ApplyAsync(new AnalyticsBatch(tenantId, $"gauges:{minute:yyyyMMddHHmm}", rollups, []), cancellationToken);
    }
}
