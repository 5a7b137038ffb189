namespace Workforce.Core.Tasks;

/// <summary>
/// One change of a task's state, recorded in the same transaction as the change: the task's history, and what
/// the platform tells its observers (the lifecycle workflow, live dashboards) once the change is committed.
/// </summary>
public sealed record TaskTransition(
    string TenantId,
    Guid TaskId,
    int Revision,
    TaskState? From,
    TaskState To,
    DateTimeOffset At,
    Guid? AgentId,
    int Attempt,
    string? Reason)
{
    /// <summary>The task's type; carried to observers (analytics), not kept in the history.</summary>
    public string? Type { get; init; }

    public TaskPriority Priority { get; init; } = TaskPriority.Medium;

    /// <summary>The capabilities the task requires (empty: any agent); carried to observers, not kept in the history.</summary>
    public IReadOnlyList<string>? Capabilities { get; init; }

    /// <summary>The task's deadline after the change; carried to observers (the lifecycle workflow), not kept in the history.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>
    /// How long the task was in <see cref="From"/> before this change, counted for a pending task from when it could
    /// be leased (after any retry backoff): a lease's schedule-to-start latency, an attempt's run time. Carried to
    /// observers, not kept in the history; null for a submission.
    /// </summary>
    public TimeSpan? InStateFor { get; init; }

    /// <summary>Taking or giving up a task changes its agent's active count; starting it does not.</summary>
    public bool ChangesAgentLoad => AgentId is not null && (From?.HoldsAgent() ?? false) != To.HoldsAgent();

    /// <summary>The transition that turned <paramref name="before"/> into <paramref name="after"/>; null before for a submission.</summary>
    public static TaskTransition Between(WorkTask? before, WorkTask after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var reason = after.Error != before?.Error ? after.Error : null;
        return new(after.TenantId, after.Id, after.Revision, before?.State, after.State, after.UpdatedAt,
            after.AssignedAgentId ?? before?.AssignedAgentId, after.Attempt, reason)
        {
            Type = after.Type,
            Priority = after.Priority,
            Capabilities = after.RequiredCapabilities,
            Deadline = after.Deadline,
            InStateFor = before is null ? null : after.UpdatedAt - LeasableSince(before),
        };
    }

    private static DateTimeOffset LeasableSince(WorkTask task) =>
        task.State == TaskState.Pending && task.NextAttemptAt > task.StateEnteredAt ? task.NextAttemptAt.Value : task.StateEnteredAt;
}
