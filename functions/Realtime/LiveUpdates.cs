using Microsoft.Azure.Functions.Worker;
using Workforce.Api.Realtime;
using Workforce.Core.Storage;
using Workforce.Functions.Changes;

namespace Workforce.Functions.Realtime;

/// <summary>
/// The live updates of one invocation, for [SignalROutput]: what it committed, as the hub's own events and payloads
/// (taskUpdated, taskRemoved, agentUpdated, and a notification for each event of the catalogue it fanned out), sent to the changed
/// tenant's clients only. Like the server's broadcaster it reads the tasks and agents back from the store, so each
/// update shows the latest committed state, and it sends the events as <see cref="Notification.Of"/> words them.
/// Unlike it, each invocation sends its own changes at once, and queue statistics are not pushed: see docs/azure.md.
/// </summary>
public sealed class LiveUpdates(IWorkforceStore store)
{
    public const string HubName = "workforce";

    /// <returns>The messages, or null when nothing changed.</returns>
    public async Task<SignalRMessageAction[]?> ForAsync(ChangeLog changes, CancellationToken cancellationToken)
    {
        var messages = new List<SignalRMessageAction>();
        var transitions = changes.Transitions;
        foreach (var tenant in transitions.GroupBy(t => t.TenantId))
        {
            var tasks = new List<TaskUpdate>();
            foreach (var taskId in tenant.Select(t => t.TaskId).Distinct())
            {
                if (await store.FindTaskAsync(tenant.Key, taskId, cancellationToken) is { } task)
                {
                    tasks.Add(TaskUpdate.From(task));
                }
            }

            if (tasks.Count > 0)
            {
                messages.Add(To(tenant.Key, RealtimeEvents.TaskUpdated, tasks));
            }
        }

        foreach (var tenant in changes.Removals.GroupBy(r => r.TenantId))
        {
            messages.Add(To(tenant.Key, RealtimeEvents.TaskRemoved, tenant.Select(TaskRemoved.From).ToList()));
        }

        foreach (var tenant in changes.Agents.GroupBy(a => a.TenantId))
        {
            var agents = new List<AgentUpdate>();
            foreach (var change in tenant)
            {
                agents.Add(await store.FindAgentAsync(tenant.Key, change.AgentId, cancellationToken) is { } agent
                    ? AgentUpdate.From(agent)
                    : AgentUpdate.Gone(change.AgentId));
            }

            messages.Add(To(tenant.Key, RealtimeEvents.AgentUpdated, agents));
        }

        // An invocation fans out one event, so there is no burst to cut short as the server's broadcaster does.
        messages.AddRange(changes.Notifications.OrderBy(n => n.Sequence)
            .Select(notification => To(notification.TenantId, RealtimeEvents.Notification, Notification.Of(notification))));
        return messages.Count == 0 ? null : [.. messages];
    }

    /// <summary>A tenant's clients negotiate as the user named by the tenant id (see <see cref="RealtimeFunctions"/>).</summary>
    private static SignalRMessageAction To(string tenantId, string target, object payload) =>
        new(target, [payload]) { UserId = tenantId };
}
