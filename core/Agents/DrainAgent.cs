using Microsoft.Extensions.Logging;
using Workforce.Core.Storage;

namespace Workforce.Core.Agents;

/// <summary>
/// Stops an agent from leasing new tasks while it finishes the ones it holds (before maintenance, a deploy or its
/// removal), and lets it lease again. The tenant key or the agent's own key may do either: an agent that is told
/// to shut down can drain itself.
/// </summary>
public sealed partial class DrainAgent(IWorkforceStore store, AgentChangeFeed changes, ILogger<DrainAgent> logger)
{
    public Task<Outcome<Agent>> DrainAsync(Caller caller, Guid agentId, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, agentId, agent => agent.Drain(), cancellationToken);

    public Task<Outcome<Agent>> ResumeAsync(Caller caller, Guid agentId, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, agentId, agent => agent.Resume(), cancellationToken);

    private async Task<Outcome<Agent>> ChangeAsync(Caller caller, Guid agentId, Func<Agent, Agent> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.MayActAs(agentId))
        {
            return Failures.NotYourAgent;
        }

        var outcome = await store.TransactAsync(caller.TenantId, async tx =>
        {
            if (await tx.FindAgentAsync(agentId) is not { } agent)
            {
                return Failure.NotFound($"Agent {agentId}");
            }

            var changed = change(agent);
            if (changed.Draining != agent.Draining)
            {
                tx.Update(changed);
            }

            return Outcome<Agent>.Success(changed);
        }, cancellationToken);

        if (outcome.Value is { } updated)
        {
            changes.Publish(caller.TenantId, agentId);
            LogDraining(logger, agentId, caller.TenantId, updated.Draining, updated.ActiveTasks);
        }

        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} of tenant {TenantId}: draining {Draining}, {ActiveTasks} tasks held")]
    private static partial void LogDraining(ILogger logger, Guid agentId, string tenantId, bool draining, int activeTasks);
}
