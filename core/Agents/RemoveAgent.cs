using Microsoft.Extensions.Logging;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;

namespace Workforce.Core.Agents;

/// <summary>Removes an agent and revokes its key; the tasks it held go back to the queue in their original places.</summary>
public sealed partial class RemoveAgent(IWorkforceStore store, AgentChangeFeed changes, TimeProvider clock, ILogger<RemoveAgent> logger)
{
    public async Task<Outcome<Agent>> ExecuteAsync(Caller caller, Guid agentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        var now = clock.GetUtcNow();
        var outcome = await store.TransactAsync(caller.TenantId, async tx =>
        {
            if (await tx.FindAgentAsync(agentId) is not { } agent)
            {
                return Failure.NotFound($"Agent {agentId}");
            }

            var held = await tx.TasksHeldByAsync(agentId);
            foreach (var task in held)
            {
                tx.Move(task, task.Release($"Agent {agentId} was removed.", now));
            }

            tx.Remove(agent);
            tx.Raise(NotificationEvents.OfAgentRemoved(agent, held.Count, now));
            return Outcome<(Agent, int)>.Success((agent, held.Count));
        }, cancellationToken);

        if (!outcome.Succeeded)
        {
            return outcome.Failure!;
        }

        var (removed, released) = outcome.Value;
        changes.Publish(caller.TenantId, agentId);
        LogRemoved(logger, agentId, caller.TenantId, released);
        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} of tenant {TenantId} removed; {Released} tasks returned to the queue")]
    private static partial void LogRemoved(ILogger logger, Guid agentId, string tenantId, int released);
}
