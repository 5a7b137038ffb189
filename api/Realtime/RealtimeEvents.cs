using Workforce.Core.Agents;
using Workforce.Core.Tasks;
using Workforce.Api.Agents;

namespace Workforce.Api.Realtime;

/// <summary>
/// The events of the live-updates hub. Task and agent updates, and task removals, carry a batch (an array) per send:
/// the changes of one update interval, coalesced so that each task and agent appears once, in its latest state.
/// </summary>
public static class RealtimeEvents
{
    public const string TaskUpdated = "taskUpdated";
    public const string TaskRemoved = "taskRemoved";
    public const string AgentUpdated = "agentUpdated";
    public const string QueueStats = "queueStats";
    public const string Notification = "notification";
}

/// <summary>A task as it stands after its latest change; <see cref="Revision"/> orders updates of one task.</summary>
public sealed record TaskUpdate(
    Guid Id,
    string Type,
    TaskState State,
    TaskPriority Priority,
    Guid? AgentId,
    int Attempt,
    int MaxRetries,
    string? Error,
    int Revision,
    DateTimeOffset UpdatedAt)
{
    public static TaskUpdate From(WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.Id, task.Type, task.State, task.Priority, task.AssignedAgentId, task.Attempt, task.MaxRetries,
            task.Error, task.Revision, task.UpdatedAt);
    }
}

/// <summary>A task whose record was deleted, as it was when it went (<see cref="State"/> cancelled when it had not finished).</summary>
public sealed record TaskRemoved(Guid Id, string Type, TaskState State, TaskPriority Priority, DateTimeOffset RemovedAt)
{
    public static TaskRemoved From(TaskRemoval removal)
    {
        ArgumentNullException.ThrowIfNull(removal);
        return new(removal.TaskId, removal.Type, removal.State, removal.Priority, removal.At);
    }
}

/// <summary>An agent as it stands now, or, with <see cref="Removed"/>, an agent that no longer exists.</summary>
public sealed record AgentUpdate(
    Guid Id,
    bool Removed,
    string? Name,
    AgentStatus? Status,
    int ActiveTasks,
    int Capacity,
    IReadOnlyList<string> Capabilities,
    AgentMetricsResponse? Metrics,
    DateTimeOffset? LastHeartbeatAt,
    bool Draining)
{
    public static AgentUpdate From(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new(agent.Id, false, agent.Name, agent.Status, agent.ActiveTasks, agent.Capacity, agent.Capabilities,
            AgentMetricsResponse.From(agent.Metrics), agent.LastHeartbeatAt, agent.Draining);
    }

    public static AgentUpdate Gone(Guid id) => new(id, true, null, null, 0, 0, [], null, null, false);
}

/// <summary>
/// The tenant's queue: pending tasks per priority, tasks its agents hold, and completions and final failures in the
/// last minute (counted since the server started). The counts are the store's; the per-minute figures are those
/// that <see cref="Server"/> (an opaque id of the sending process) saw, so with several servers a client adds up
/// each server's latest.
/// </summary>
public sealed record QueueStats(
    PendingCounts Pending,
    int Assigned,
    int Running,
    int ThroughputPerMinute,
    int FailuresPerMinute,
    DateTimeOffset At,
    string Server);

public sealed record PendingCounts(int Critical, int High, int Medium, int Low);

public enum NotificationLevel
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// An event of the notification catalogue on the live channel: its summary in words, its level (critical shows as
/// error), and its type and id to look it up by.
/// </summary>
public sealed record Notification(NotificationLevel Level, string Message, DateTimeOffset At, string? Event = null, string? EventId = null)
{
    public static Notification Of(Core.Notifications.NotificationEvent notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var level = notification.Level switch
        {
            Core.Notifications.NotificationLevel.Critical => NotificationLevel.Error,
            Core.Notifications.NotificationLevel.Warning => NotificationLevel.Warning,
            _ => NotificationLevel.Info,
        };
        return new(level, Core.Notifications.NotificationMessage.SummaryOf(notification), notification.OccurredAt, notification.Type, notification.Id);
    }
}
