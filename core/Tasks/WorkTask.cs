namespace Workforce.Core.Tasks;

/// <summary>
/// A unit of work submitted by a tenant and carried out by one of its agents. The task owns its lifecycle:
/// each transition method checks that the move is legal and returns the task in its new state.
/// </summary>
public sealed record WorkTask
{
    public const int MaxPayloadBytes = 256 * 1024;

    private static readonly Dictionary<TaskState, TaskState[]> LegalMoves = new()
    {
        [TaskState.Pending] = [TaskState.Assigned, TaskState.Cancelled, TaskState.Failed],
        [TaskState.Assigned] = [TaskState.Running, TaskState.Completed, TaskState.Failed, TaskState.Pending, TaskState.Cancelled],
        [TaskState.Running] = [TaskState.Completed, TaskState.Failed, TaskState.Pending, TaskState.Cancelled],
        [TaskState.Completed] = [],
        [TaskState.Failed] = [],
        [TaskState.Cancelled] = [],
    };

    public required Guid Id { get; init; }

    public required string TenantId { get; init; }

    public required string Type { get; init; }

    public TaskPriority Priority { get; init; } = TaskPriority.Medium;

    public TaskState State { get; init; } = TaskState.Pending;

    public RawJson? Payload { get; init; }

    public IReadOnlyList<string> RequiredCapabilities { get; init; } = [];

    /// <summary>How many times the task has been handed to an agent.</summary>
    public int Attempt { get; init; }

    public int MaxRetries { get; init; }

    public int TimeoutSeconds { get; init; }

    public DateTimeOffset? Deadline { get; init; }

    public Guid? AssignedAgentId { get; init; }

    /// <summary>A pending task is not leasable before this moment (retry backoff).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    public RawJson? Result { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public bool IsLeasable(DateTimeOffset now) =>
        State == TaskState.Pending && (NextAttemptAt is null || NextAttemptAt <= now);

    public bool IsPastDeadline(DateTimeOffset now) => Deadline is { } deadline && deadline <= now;

    public bool HasAttemptsLeft => Attempt <= MaxRetries;

    public WorkTask AssignTo(Guid agentId, DateTimeOffset now)
    {
        EnsureCanMoveTo(TaskState.Assigned);
        return this with
        {
            State = TaskState.Assigned,
            AssignedAgentId = agentId,
            Attempt = Attempt + 1,
            NextAttemptAt = null,
            UpdatedAt = now,
        };
    }

    public WorkTask Start(DateTimeOffset now)
    {
        EnsureCanMoveTo(TaskState.Running);
        return this with { State = TaskState.Running, UpdatedAt = now };
    }

    public WorkTask Complete(RawJson? result, DateTimeOffset now)
    {
        EnsureCanMoveTo(TaskState.Completed);
        return this with { State = TaskState.Completed, Result = result, Error = null, UpdatedAt = now, CompletedAt = now };
    }

    /// <summary>
    /// Records a failed attempt. A retryable failure with attempts left goes back in line (keeping its place)
    /// once the backoff has passed; anything else is final.
    /// </summary>
    public WorkTask Fail(string error, bool retryable, TimeSpan backoff, DateTimeOffset now)
    {
        if (retryable && HasAttemptsLeft)
        {
            EnsureCanMoveTo(TaskState.Pending);
            return this with
            {
                State = TaskState.Pending,
                AssignedAgentId = null,
                NextAttemptAt = now + backoff,
                Error = error,
                UpdatedAt = now,
            };
        }

        EnsureCanMoveTo(TaskState.Failed);
        return this with { State = TaskState.Failed, Error = error, UpdatedAt = now, CompletedAt = now };
    }

    /// <summary>Hands the task back to the queue because its agent went away; no backoff, and it keeps its place.</summary>
    public WorkTask Release(string reason, DateTimeOffset now)
    {
        EnsureCanMoveTo(TaskState.Pending);
        return this with { State = TaskState.Pending, AssignedAgentId = null, NextAttemptAt = null, Error = reason, UpdatedAt = now };
    }

    public WorkTask Cancel(DateTimeOffset now)
    {
        EnsureCanMoveTo(TaskState.Cancelled);
        return this with { State = TaskState.Cancelled, UpdatedAt = now, CompletedAt = now };
    }

    /// <summary>A pending task whose deadline passed before any agent took it.</summary>
    public WorkTask Expire(DateTimeOffset now)
    {
        EnsureCanMoveTo(TaskState.Failed);
        return this with { State = TaskState.Failed, Error = "The deadline passed before an agent took the task.", UpdatedAt = now, CompletedAt = now };
    }

    private void EnsureCanMoveTo(TaskState target)
    {
        if (!LegalMoves[State].Contains(target))
        {
            throw new IllegalTransitionException(Id, State, target);
        }
    }
}
