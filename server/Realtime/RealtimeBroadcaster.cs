using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Workforce.Api.Realtime;
using NotificationEvent = Workforce.Core.Notifications.NotificationEvent;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;

namespace Workforce.Server.Realtime;

/// <summary>
/// Sends each watched tenant's changes to its dashboards, whatever the rate of change: every
/// <see cref="RealtimeOptions.UpdateInterval"/> one <c>taskUpdated</c> batch and one <c>taskRemoved</c> batch of the
/// tasks deleted since the last, every
/// <see cref="RealtimeOptions.AgentUpdateInterval"/> one <c>agentUpdated</c> batch, and every
/// <see cref="RealtimeOptions.QueueStatsInterval"/> the queue stats, and every tick the notification events fanned out
/// since the last (the live channel of the catalogue). Tasks and agents are read from the store when sent, so a batch
/// shows their latest committed state even when notifications arrived out of order.
/// </summary>
internal sealed partial class RealtimeBroadcaster(
    LiveActivity live,
    IHubContext<WorkforceHub> hub,
    IWorkforceStore store,
    IOptions<RealtimeOptions> options,
    TimeProvider clock,
    ILogger<RealtimeBroadcaster> logger) : BackgroundService
{
    /// <summary>
    /// A group send completes when every connection took the message; a client that stopped reading would hold up
    /// every tenant's updates. Past this, the batch is given up for the clients still waiting.
    /// </summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(2);

    private readonly RealtimeOptions _options = options.Value;

    /// <summary>
    /// Names this server in its queue stats, whose per-minute figures count only what it saw: a dashboard behind
    /// Azure SignalR Service adds up each server's latest. New at every start, because the counts start over too.
    /// </summary>
    private readonly string _serverId = Guid.NewGuid().ToString("N")[..12];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.UpdateInterval, clock);
        var (nextAgents, nextStats) = (clock.GetUtcNow(), clock.GetUtcNow());
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var agentsDue = IsDue(ref nextAgents, _options.AgentUpdateInterval);
            var statsDue = IsDue(ref nextStats, _options.QueueStatsInterval);
            foreach (var (tenantId, activity) in live.Watched())
            {
                using var timeout = new CancellationTokenSource(SendTimeout, clock);
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
                try
                {
                    await SendChangesAsync(tenantId, activity.TakeBatch(_options.MaxTaskUpdatesPerBatch, agentsDue), limit.Token);
                    await SendNotificationsAsync(tenantId, activity.TakeEvents(), limit.Token);

                    if (statsDue && activity.TakeStatsDue())
                    {
                        await SendStatsAsync(tenantId, activity, limit.Token);
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // One tenant's failed read or stalled client must not stop the updates of the others, nor the server.
                    LogSendFailed(logger, e, tenantId);
                }
            }
        }
    }

    private bool IsDue(ref DateTimeOffset next, TimeSpan interval)
    {
        var now = clock.GetUtcNow();
        if (now < next)
        {
            return false;
        }

        // Half a tick of slack: ticks come a little early or late, and a due time just after a tick would otherwise
        // wait a whole extra tick.
        next = now + interval - _options.UpdateInterval / 2;
        return true;
    }

    private async Task SendChangesAsync(string tenantId, ActivityBatch batch, CancellationToken cancellationToken)
    {
        if (batch.IsEmpty)
        {
            return;
        }

        var group = hub.Clients.Group(WorkforceHub.GroupOf(tenantId));
        var tasks = new List<TaskUpdate>(batch.Tasks.Count);
        foreach (var transition in batch.Tasks)
        {
            if (await store.FindTaskAsync(tenantId, transition.TaskId, cancellationToken) is { } task)
            {
                tasks.Add(TaskUpdate.From(task));
            }
        }

        if (tasks.Count > 0)
        {
            await group.SendAsync(RealtimeEvents.TaskUpdated, tasks, cancellationToken);
        }

        if (batch.Removed.Count > 0)
        {
            await group.SendAsync(RealtimeEvents.TaskRemoved, batch.Removed.Select(TaskRemoved.From).ToList(), cancellationToken);
        }

        var agents = new List<AgentUpdate>(batch.Agents.Count);
        foreach (var agentId in batch.Agents)
        {
            var agent = await store.FindAgentAsync(tenantId, agentId, cancellationToken);
            agents.Add(agent is null ? AgentUpdate.Gone(agentId) : AgentUpdate.From(agent));
        }

        if (agents.Count > 0)
        {
            await group.SendAsync(RealtimeEvents.AgentUpdated, agents, cancellationToken);
        }
    }

    /// <summary>The live channel of the notification catalogue: the most urgent events up to the limit, and one that sums up the rest.</summary>
    private async Task SendNotificationsAsync(string tenantId, IReadOnlyList<NotificationEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var group = hub.Clients.Group(WorkforceHub.GroupOf(tenantId));
        var sent = events.OrderByDescending(e => e.Level).Take(_options.MaxNotificationsPerBatch).OrderBy(e => e.Sequence).ToList();
        foreach (var notification in sent)
        {
            await group.SendAsync(RealtimeEvents.Notification, Notification.Of(notification), cancellationToken);
        }

        if (events.Count > sent.Count)
        {
            var more = events.Count - sent.Count;
            await group.SendAsync(RealtimeEvents.Notification,
                new Notification(NotificationLevel.Info, $"{more} more notification(s); see GET /api/v1/notifications/deliveries.", clock.GetUtcNow()), cancellationToken);
        }
    }

    private async Task SendStatsAsync(string tenantId, TenantActivity activity, CancellationToken cancellationToken)
    {
        var counts = await store.CountTasksAsync(tenantId, cancellationToken);
        var (completed, failed) = activity.PerMinute();
        var pending = new PendingCounts(
            counts.PendingAt(TaskPriority.Critical), counts.PendingAt(TaskPriority.High), counts.PendingAt(TaskPriority.Medium), counts.PendingAt(TaskPriority.Low));
        var stats = new QueueStats(pending, counts.Assigned, counts.Running, completed, failed, clock.GetUtcNow(), _serverId);
        await hub.Clients.Group(WorkforceHub.GroupOf(tenantId)).SendAsync(RealtimeEvents.QueueStats, stats, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates of tenant {TenantId} could not be sent")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string tenantId);
}
