namespace Workforce.Core.Tasks;

/// <summary>
/// Where a task stands, as the lifecycle workflow needs it: its state, since when, and its revision, which
/// orders snapshots (a later revision always wins).
/// </summary>
public sealed record TaskSnapshot(TaskState State, int Revision, DateTimeOffset Since, string? Error)
{
    /// <summary>
    /// The task's deadline at this revision (a pending task's deadline can change: <see cref="UpdateTask"/>). Null in
    /// snapshots taken before snapshots carried it; the workflow then keeps the deadline it started with.
    /// </summary>
    public SnapshotDeadline? Deadline { get; init; }

    public bool IsTerminal => State.IsTerminal();

    public static TaskSnapshot Of(WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.State, task.Revision, task.StateEnteredAt, task.Error) { Deadline = new(task.Deadline) };
    }

    public static TaskSnapshot Of(TaskTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return new(transition.To, transition.Revision, transition.At, transition.Reason) { Deadline = new(transition.Deadline) };
    }

    /// <summary>The limits that apply at this revision: <paramref name="timeouts"/> with this snapshot's deadline, when it carries one.</summary>
    public TaskTimeouts Applying(TaskTimeouts timeouts)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        return Deadline is { } deadline ? timeouts with { Deadline = deadline.At } : timeouts;
    }

    /// <summary>
    /// When a watcher must next look at the task: the end of its assignment window or execution timeout, or its
    /// deadline while pending; null when nothing can time out.
    /// </summary>
    public DateTimeOffset? DueAt(TaskTimeouts timeouts)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        return State switch
        {
            TaskState.Assigned => Since + timeouts.AssignmentTimeout,
            TaskState.Running => Since + TimeSpan.FromSeconds(timeouts.TimeoutSeconds),
            TaskState.Pending => timeouts.Deadline,
            _ => null,
        };
    }
}

/// <summary>A task's deadline as a snapshot knows it; <see cref="At"/> is null when the task has none.</summary>
public sealed record SnapshotDeadline(DateTimeOffset? At);

/// <summary>The limits that apply to one task: its own execution timeout and deadline, and the platform's assignment window.</summary>
public sealed record TaskTimeouts(int TimeoutSeconds, DateTimeOffset? Deadline, TimeSpan AssignmentTimeout);
