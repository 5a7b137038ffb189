using Microsoft.Extensions.Logging;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;

namespace Workforce.Core.Agents;

/// <summary>
/// Agent liveness: an agent that sent no heartbeat for <see cref="AgentOptions.HeartbeatTimeout"/> goes offline, and
/// the tasks it held go back to the queue at once, in their original places, for other agents to take (failover).
/// </summary>
public sealed partial class TakeSilentAgentsOffline(IWorkforceStore store, AgentChangeFeed changes, AgentOptions options, TimeProvider clock, ILogger<TakeSilentAgentsOffline> logger)
{
    /// <returns>How many agents went offline; fewer than <paramref name="batchSize"/> means none are left.</returns>
    public async Task<int> ExecuteAsync(int batchSize, CancellationToken cancellationToken = default)
    {
        var silentSince = clock.GetUtcNow() - options.HeartbeatTimeout;
        var silent = await store.FindSilentAgentsAsync(silentSince, batchSize, cancellationToken);
        var offline = 0;
        foreach (var agent in silent)
        {
            if (await TakeOfflineAsync(agent, silentSince, cancellationToken) is { } released)
            {
                offline++;
                changes.Publish(agent.TenantId, agent.AgentId);
                LogOffline(logger, agent.AgentId, agent.TenantId, options.HeartbeatTimeout.TotalSeconds, released);
            }
        }

        return offline;
    }

    /// <returns>How many tasks failed over, or null when the agent spoke up in the meantime.</returns>
    private Task<int?> TakeOfflineAsync(AgentRef agentRef, DateTimeOffset silentSince, CancellationToken cancellationToken) =>
        store.TransactAsync(agentRef.TenantId, async tx =>
        {
            if (await tx.FindAgentAsync(agentRef.AgentId) is not { Status: not AgentStatus.Offline } agent
                || agent.LastHeartbeatAt > silentSince)
            {
                return (int?)null;
            }

            var now = clock.GetUtcNow();
            var held = await tx.TasksHeldByAsync(agent.Id);
            foreach (var task in held)
            {
                tx.Move(task, task.Release($"Agent {agent.Id} went offline: no heartbeat for {options.HeartbeatTimeout.TotalSeconds:0} s.", now));
            }

            tx.Update(agent.MarkOffline() with { ActiveTasks = 0 });
            tx.Raise(NotificationEvents.OfAgentOffline(agent, held.Count, now));
            return held.Count;
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} of tenant {TenantId} went offline after {Seconds} s without a heartbeat; {Released} tasks failed over")]
    private static partial void LogOffline(ILogger logger, Guid agentId, string tenantId, double seconds, int released);
}
