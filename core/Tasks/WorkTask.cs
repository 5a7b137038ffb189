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

    /// <summary>The failed or cancelled task this one retries (see <see cref="Resubmission"/>), if any.</summary>
    public Guid? RetryOf { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the submission, handed to the agent with the lease so its spans, and its
    /// complete or fail calls, join the submission's trace. Null when the submission was not traced.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>Counts the task's transitions, starting at 1 on submission; orders its change notifications.</summary>
    public int Revision { get; init; } = 1;

    public bool IsLeasable(DateTimeOffset now) =>
        State == TaskState.Pending && (NextAttemptAt is null || NextAttemptAt <= now);

    public bool IsPastDeadline(DateTimeOffset now) => Deadline is { } deadline && deadline <= now;

    public bool HasAttemptsLeft => Attempt <= MaxRetries;

    /// <summary>
    /// Whether the change from <paramref name="before"/> (null for a submission) must start the task's lifecycle
    /// workflow. The workflow enforces time limits, and a pending task without a deadline has none, so it starts
    /// when the task first gets one: a deadline (at submission or by a revision) or its first assignment. Most tasks
    /// of a busy queue therefore finish before their workflow is even started, and a backlog of pending tasks costs
    /// no workflows. Asking twice is harmless (the starter refuses a second instance), so a deadline removed by a
    /// revision, which leaves its workflow running, may ask again.
    /// </summary>
    public bool StartsLifecycle(WorkTask? before) =>
        (Deadline is not null || State is TaskState.Assigned or TaskState.Running)
        && (before is null || (before.Deadline is null && before.Attempt == 0));

    public WorkTask AssignTo(Guid agentId, DateTimeOffset now) =>
        MoveTo(TaskState.Assigned, now) with { AssignedAgentId = agentId, Attempt = Attempt + 1, NextAttemptAt = null };

    public WorkTask Start(DateTimeOffset now) => MoveTo(TaskState.Running, now);

    public WorkTask Complete(RawJson? result, DateTimeOffset now) =>
        MoveTo(TaskState.Completed, now) with { Result = result, Error = null, CompletedAt = now };

    /// <summary>
    /// Records a failed attempt. A retryable failure with attempts left goes back in line (keeping its place)
    /// once the backoff has passed; anything else is final.
    /// </summary>
    public WorkTask Fail(string error, bool retryable, TimeSpan backoff, DateTimeOffset now) =>
        retryable && HasAttemptsLeft
            ? MoveTo(TaskState.Pending, now) with { AssignedAgentId = null, NextAttemptAt = now + backoff, Error = error }
            : MoveTo(TaskState.Failed, now) with { Error = error, CompletedAt = now };

    /// <summary>Hands the task back to the queue because its agent went away; no backoff, and it keeps its place.</summary>
    public WorkTask Release(string reason, DateTimeOffset now) =>
        MoveTo(TaskState.Pending, now) with { AssignedAgentId = null, NextAttemptAt = null, Error = reason };

    public WorkTask Cancel(DateTimeOffset now) => MoveTo(TaskState.Cancelled, now) with { CompletedAt = now };

    /// <summary>
    /// Only a pending task may change what it asks for (<see cref="UpdateTask"/>): once an agent holds it, the agent
    /// works on what it was given.
    /// </summary>
    public bool CanBeRevised => State == TaskState.Pending;

    /// <summary>
    /// The pending task with new priority, payload, required capabilities and deadline: not a move, but a change a
    /// watcher must see, so it counts as a revision and stamps <see cref="UpdatedAt"/>.
    /// </summary>
    public WorkTask Revise(TaskPriority priority, RawJson? payload, IReadOnlyList<string> requiredCapabilities, DateTimeOffset? deadline, DateTimeOffset now)
    {
        if (!CanBeRevised)
        {
            throw new InvalidOperationException($"Task {Id} is {State}; only a pending task can be revised.");
        }

        return this with
        {
            Priority = priority, Payload = payload, RequiredCapabilities = requiredCapabilities, Deadline = deadline, UpdatedAt = now, Revision = Revision + 1,
        };
    }

    /// <summary>A pending task whose deadline passed before any agent took it.</summary>
    public WorkTask Expire(DateTimeOffset now) =>
        MoveTo(TaskState.Failed, now) with { Error = "The deadline passed before an agent took the task.", CompletedAt = now };

    /// <summary>Only a task that ended without success may be retried, as a new submission of the same work.</summary>
    public bool CanBeRetried => State is TaskState.Failed or TaskState.Cancelled;

    /// <summary>The same work as a new submission: type, priority, payload, capabilities and limits.</summary>
    public SubmitTaskCommand Resubmission() => new(Type, Priority, Payload, RequiredCapabilities, TimeoutSeconds, MaxRetries, Deadline);

    /// <summary>When the task entered its current state: every transition stamps <see cref="UpdatedAt"/>.</summary>
    public DateTimeOffset StateEnteredAt => UpdatedAt;

    private WorkTask MoveTo(TaskState target, DateTimeOffset now)
    {
        if (!LegalMoves[State].Contains(target))
        {
            throw new IllegalTransitionException(Id, State, target);
        }

        return this with { State = target, UpdatedAt = now, Revision = Revision + 1 };
    }
}
