namespace Workforce.Core.Tasks;

/// <summary>
/// Where a task stands, as the lifecycle workflow needs it: its state, since when, and its revision, which
/// orders snapshots (a later revision always wins).
/// </summary>
public sealed record TaskSnapshot(TaskState State, int Revision, DateTimeOffset Since, string? Error)
{
    public bool IsTerminal => State.IsTerminal();

    public static TaskSnapshot Of(WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.State, task.Revision, task.StateEnteredAt, task.Error);
    }

    public static TaskSnapshot Of(TaskTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return new(transition.To, transition.Revision, transition.At, transition.Reason);
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

/// <summary>The limits that apply to one task: its own execution timeout and deadline, and the platform's assignment window.</summary>
public sealed record TaskTimeouts(int TimeoutSeconds, DateTimeOffset? Deadline, TimeSpan AssignmentTimeout);
