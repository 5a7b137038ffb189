using Microsoft.Extensions.Logging;
using Workforce.Core.Notifications;
using Workforce.Core.Plans;
using Workforce.Core.Storage;
using Workforce.Core.Usage;

namespace Workforce.Core.Tasks;

/// <summary>A field a patch sets: to <see cref="Value"/>, which may be null (remove it). A field the patch leaves out is a null <see cref="Patched{T}"/>.</summary>
public sealed record Patched<T>(T Value);

/// <summary>
/// What a patch of a pending task changes (a JSON merge patch, RFC 7396: a member left out stays, a member set to
/// null is removed): its priority, payload, required capabilities and deadline. Nothing else can change; a
/// different task is a new submission.
/// </summary>
/// <param name="ExpectedRevision">The revision the caller read (<c>If-Match</c>); null to change whatever revision is current.</param>
public sealed record UpdateTaskCommand(
    Patched<TaskPriority?>? Priority = null,
    Patched<RawJson?>? Payload = null,
    Patched<IReadOnlyList<string>?>? RequiredCapabilities = null,
    Patched<DateTimeOffset?>? Deadline = null,
    int? ExpectedRevision = null)
{
    /// <summary>The members a patch may set, as the API names them.</summary>
    public static readonly IReadOnlyList<string> Fields = ["priority", "payload", "requiredCapabilities", "deadline"];

    /// <summary>
    /// The patched fields as a submission of them would carry them (with a type that passes, since the type cannot
    /// change), so that they are checked exactly as on submission.
    /// </summary>
    internal SubmitTaskCommand AsSubmission() => new("unchanged", Priority?.Value, Payload?.Value, RequiredCapabilities?.Value, Deadline: Deadline?.Value);
}

/// <summary>
/// Changes what a pending task asks for: its priority, payload, required capabilities or deadline, checked as a
/// submission checks them. A task that an agent holds, or that has finished, cannot change (409). A changed priority
/// puts the task at the end of its new priority's line, as a submission of that priority now would; any other change
/// keeps its place. The change is a revision of the task, recorded in its history as a pending → pending step that
/// names the fields, so its watchers (the lifecycle workflow, which re-reads the deadline; live dashboards; waiting
/// leases) hear of it like of any other change, and it raises <c>task.updated</c> in the same transaction while an
/// endpoint asks for it. A payload that grows must fit the tenant's storage quota, as a submission's payload must
/// (the same refusal, 429, in the same transaction). With an expected revision (<c>If-Match</c>), a task that has
/// moved on since is left alone (412).
/// </summary>
public sealed partial class UpdateTask(
    IWorkforceStore store, PlanCatalogue plans, NotificationInterest interest, TimeProvider clock, ILogger<UpdateTask> logger)
{
    public async Task<Outcome<WorkTask>> ExecuteAsync(Caller caller, Guid taskId, UpdateTaskCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        if (command.Priority is { Value: null })
        {
            return Failure.Invalid("priority", "priority cannot be removed; set one of low, medium, high, critical.");
        }

        var now = clock.GetUtcNow();
        if (SubmitTask.Validate(command.AsSubmission(), idempotencyKey: null, now) is { } invalid)
        {
            return invalid;
        }

        var announce = await interest.AsksForAsync(caller.TenantId, NotificationEvents.TaskUpdated, cancellationToken);
        var outcome = await store.TransactAsync(caller.TenantId, async tx =>
        {
            if (await tx.FindTaskAsync(taskId) is not { } task)
            {
                return Failure.NotFound($"Task {taskId}");
            }

            if (TaskPreconditions.Check(task, command.ExpectedRevision) is { } stale)
            {
                return stale;
            }

            if (!task.CanBeRevised)
            {
                return Failure.Conflict(
                    $"Task {taskId} is {task.State.ToString().ToLowerInvariant()}; only a pending task can be changed. Cancel it and submit the new work instead.");
            }

            var revised = task.Revise(
                command.Priority?.Value ?? task.Priority,
                command.Payload is { } payload ? payload.Value : task.Payload,
                command.RequiredCapabilities is { } capabilities ? Capabilities.Normalize(capabilities.Value) : task.RequiredCapabilities,
                command.Deadline is { } deadline ? deadline.Value : task.Deadline,
                now);
            if (Changes(task, revised) is not { Count: > 0 } changed)
            {
                return Outcome<WorkTask>.Success(task);
            }

            // Storage is a gauge: the payload's new size replaces its old one.
            var grown = (revised.Payload?.Utf8Length ?? 0) - (task.Payload?.Utf8Length ?? 0);
            if (grown > 0 && plans.Enforced && await StorageRefusalAsync(tx, grown, now) is { } refusal)
            {
                return refusal.ToFailure(now);
            }

            tx.Revise(revised);
            if (revised.StartsLifecycle(task))
            {
                tx.Send(TaskQueueMessage.For(revised));
            }

            tx.Record(TaskTransition.Between(task, revised) with { Reason = $"Changed {string.Join(", ", changed.Select(c => c.Text))}." });
            if (grown != 0)
            {
                tx.Meter(UsageEvent.Stored($"payload:{task.Id:N}:{revised.Revision}", grown, now));
            }

            if (announce)
            {
                tx.Raise(NotificationEvents.OfTaskUpdated(revised, changed.Select(c => c.Field), now));
            }

            return Outcome<WorkTask>.Success(revised);
        }, cancellationToken);

        if (outcome.Value is { } updated)
        {
            LogUpdated(logger, updated.Id, updated.TenantId, updated.Revision);
        }

        return outcome;
    }

    /// <summary>
    /// Whether the payload's growth fits the storage quota, as <see cref="SubmitTask"/> checks a new payload (the
    /// subscription's <see cref="Subscriptions.Subscription.AdmitSubmission"/> storage step): a suspended
    /// subscription admits nothing, and a patch that does not grow the payload is not checked.
    /// </summary>
    private async ValueTask<Subscriptions.QuotaRefusal?> StorageRefusalAsync(ITenantTransaction tx, long grown, DateTimeOffset now)
    {
        var subscription = await tx.FindSubscriptionAsync();
        var usage = await tx.FindUsageAsync(subscription.PeriodContaining(now).Start);
        return subscription.Admit(subscription.PlanAt(now, plans), usage, Meter.StorageBytes, grown, now);
    }

    /// <summary>The fields the revision changed, by their API names, each with how the history words its change.</summary>
    private static List<(string Field, string Text)> Changes(WorkTask before, WorkTask after)
    {
        var changed = new List<(string Field, string Text)>();
        if (before.Priority != after.Priority)
        {
            changed.Add(("priority", $"priority {Name(before.Priority)} → {Name(after.Priority)}"));
        }

        if (before.Payload?.Text != after.Payload?.Text)
        {
            changed.Add(("payload", "payload"));
        }

        if (!before.RequiredCapabilities.SequenceEqual(after.RequiredCapabilities, StringComparer.Ordinal))
        {
            changed.Add(("requiredCapabilities", "requiredCapabilities"));
        }

        if (before.Deadline != after.Deadline)
        {
            changed.Add(("deadline", "deadline"));
        }

        return changed;
    }

    private static string Name(TaskPriority priority) => priority.ToString().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} of tenant {TenantId} was changed (revision {Revision})")]
    private static partial void LogUpdated(ILogger logger, Guid taskId, string tenantId, int revision);
}

/// <summary>The <c>If-Match</c> of task requests: the task's revision is its entity tag.</summary>
public static class TaskPreconditions
{
    /// <returns>The refusal when the caller read another revision than the current one, or null.</returns>
    public static Failure? Check(WorkTask task, int? expectedRevision)
    {
        ArgumentNullException.ThrowIfNull(task);
        return expectedRevision is { } expected && expected != task.Revision
            ? new Failure(FailureKind.PreconditionFailed,
                $"Task {task.Id} is at revision {task.Revision}, not {expected} as If-Match says: it changed since it was read. Read it again (its ETag) and decide anew.")
            : null;
    }
}
