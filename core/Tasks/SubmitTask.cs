using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Workforce.Core.Notifications;
using Workforce.Core.Plans;
using Workforce.Core.Storage;
using Workforce.Core.Telemetry;

namespace Workforce.Core.Tasks;

public sealed record SubmitTaskCommand(
    string? Type,
    TaskPriority? Priority = null,
    RawJson? Payload = null,
    IReadOnlyList<string>? RequiredCapabilities = null,
    int? TimeoutSeconds = null,
    int? MaxRetries = null,
    DateTimeOffset? Deadline = null)
{
    public const int DefaultTimeoutSeconds = 300;
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;
    public const int DefaultMaxRetries = 3;
    public const int MaxMaxRetries = 10;
    public const int MaxTypeLength = 200;

    /// <summary>A digest of every field, so a replayed <c>Idempotency-Key</c> can be told apart from a reused one.</summary>
    public string Fingerprint()
    {
        var canonical = string.Join('\u001f', Type, Priority, Payload?.Text, string.Join('\u001e', RequiredCapabilities ?? []), TimeoutSeconds, MaxRetries, Deadline?.UtcTicks);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}

/// <summary>The accepted task; <see cref="Replayed"/> when an earlier submission with the same idempotency key is returned.</summary>
public sealed record SubmittedTask(WorkTask Task, bool Replayed);

/// <summary>
/// Accepts a task into its tenant's queue, durably, unless the queue is full or a quota of the subscription would be
/// exceeded (checked in the same transaction, so a burst at a limit admits exactly up to it). A task with a deadline
/// is handed to the lifecycle workflow through the work queue of its priority in the same transaction; any other
/// one when it is first leased (<see cref="WorkTask.StartsLifecycle"/>).
/// </summary>
public sealed partial class SubmitTask(
    IWorkforceStore store, TaskOptions options, PlanCatalogue plans, NotificationOptions notifications, TimeProvider clock, ILogger<SubmitTask> logger)
{
    public Task<Outcome<SubmittedTask>> ExecuteAsync(Caller caller, SubmitTaskCommand command, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(caller, command, idempotencyKey, retryOf: null, cancellationToken);

    /// <param name="retryOf">The task whose work this submission retries (<see cref="RetryTask"/>).</param>
    internal async Task<Outcome<SubmittedTask>> ExecuteAsync(Caller caller, SubmitTaskCommand command, string? idempotencyKey, Guid? retryOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        var now = clock.GetUtcNow();
        if (Validate(command, idempotencyKey, now) is { } invalid)
        {
            return invalid;
        }

        using var span = WorkforceTraces.Source.StartActivity("task.submit");
        var task = NewTask(caller.TenantId, command, now) with { RetryOf = retryOf, TraceParent = WorkforceTraces.CurrentTraceParent() };
        span?.SetTag("workforce.task.id", task.Id);
        span?.SetTag("workforce.task.type", task.Type);
        span?.SetTag("workforce.task.priority", task.Priority.ToString().ToLowerInvariant());
        var outcome = await store.TransactAsync(caller.TenantId, async tx =>
        {
            if (idempotencyKey is not null && await tx.FindSubmissionAsync(idempotencyKey, now) is { } earlier)
            {
                return await ReplayAsync(tx, earlier, command);
            }

            var pending = await tx.CountPendingTasksAsync();
            if (pending >= options.MaxPendingPerTenant)
            {
                return new Failure(FailureKind.QueueFull, $"The tenant already has {options.MaxPendingPerTenant} pending tasks; retry later.")
                {
                    RetryAfter = options.QueueFullRetryAfter,
                };
            }

            if (plans.Enforced && await QuotaRefusalAsync(tx, task, now) is { } refusal)
            {
                return refusal.ToFailure(now);
            }

            tx.Submit(task);
            if (task.StartsLifecycle(before: null))
            {
                tx.Send(TaskQueueMessage.For(task));
            }
            if (pending + 1 == notifications.BacklogThreshold)
            {
                tx.Raise(NotificationEvents.OfQueueBacklog(caller.TenantId, pending + 1, notifications.BacklogThreshold, now));
            }

            if (idempotencyKey is not null)
            {
                tx.Add(new IdempotentSubmission(idempotencyKey, task.Id, command.Fingerprint(), now + options.IdempotencyWindow));
            }

            return Outcome<SubmittedTask>.Success(new SubmittedTask(task, Replayed: false));
        }, cancellationToken);

        if (outcome.Failure is { } failure)
        {
            span.Fail(failure.Kind.ToString());
        }
        else if (outcome.Value!.Replayed)
        {
            span?.SetTag("workforce.task.replayed", true);
        }

        if (outcome.Failure is { Kind: FailureKind.QueueFull })
        {
            LogQueueFull(logger, caller.TenantId, options.MaxPendingPerTenant);
        }

        return outcome;
    }

    internal static async ValueTask<Outcome<SubmittedTask>> ReplayAsync(ITenantTransaction tx, IdempotentSubmission earlier, SubmitTaskCommand command)
    {
        if (earlier.Fingerprint != command.Fingerprint())
        {
            return new Failure(FailureKind.Unprocessable, "This Idempotency-Key was already used for a different request; use a new key for a new task.");
        }

        var task = await tx.FindTaskAsync(earlier.TaskId);
        return task is null
            ? Failure.Conflict("The task first submitted with this Idempotency-Key no longer exists; use a new key.")
            : new SubmittedTask(task, Replayed: true);
    }

    internal static WorkTask NewTask(string tenantId, SubmitTaskCommand command, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TenantId = tenantId,
        Type = command.Type!.Trim(),
        Priority = command.Priority ?? TaskPriority.Medium,
        Payload = command.Payload,
        RequiredCapabilities = Capabilities.Normalize(command.RequiredCapabilities),
        MaxRetries = command.MaxRetries ?? SubmitTaskCommand.DefaultMaxRetries,
        TimeoutSeconds = command.TimeoutSeconds ?? SubmitTaskCommand.DefaultTimeoutSeconds,
        Deadline = command.Deadline,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>The checks of a submission's fields; <see cref="UpdateTask"/> runs them on the fields a patch sets, so both refuse alike.</summary>
    internal static Failure? Validate(SubmitTaskCommand command, string? idempotencyKey, DateTimeOffset now)
    {
        if (command.Payload is { } payload && payload.Utf8Length > WorkTask.MaxPayloadBytes)
        {
            return new Failure(FailureKind.TooLarge, $"The payload is {payload.Utf8Length / 1024} KiB; the limit is {WorkTask.MaxPayloadBytes / 1024} KiB.");
        }

        var errors = new FieldErrors();
        errors.Require(!string.IsNullOrWhiteSpace(command.Type) && command.Type.Trim().Length <= SubmitTaskCommand.MaxTypeLength,
            "type", $"Give the task a type of 1 to {SubmitTaskCommand.MaxTypeLength} characters.");
        errors.Require(command.TimeoutSeconds is null or (>= 1 and <= SubmitTaskCommand.MaxTimeoutSeconds),
            "timeoutSeconds", $"timeoutSeconds must be between 1 and {SubmitTaskCommand.MaxTimeoutSeconds}.");
        errors.Require(command.MaxRetries is null or (>= 0 and <= SubmitTaskCommand.MaxMaxRetries),
            "maxRetries", $"maxRetries must be between 0 and {SubmitTaskCommand.MaxMaxRetries}.");
        errors.Require(command.Deadline is null || command.Deadline > now,
            "deadline", "deadline must be in the future.");
        errors.Require(command.Priority is null || Enum.IsDefined(command.Priority.Value),
            "priority", "priority must be one of low, medium, high, critical.");
        if (Capabilities.Check(command.RequiredCapabilities) is { } capabilityError)
        {
            errors.Add("requiredCapabilities", capabilityError);
        }

        errors.Require(idempotencyKey is null || idempotencyKey.Length is >= 1 and <= 255,
            "Idempotency-Key", "The Idempotency-Key header must be 1 to 255 characters.");
        return errors.Any ? errors.ToFailure() : null;
    }

    private async ValueTask<Subscriptions.QuotaRefusal?> QuotaRefusalAsync(ITenantTransaction tx, WorkTask task, DateTimeOffset now)
    {
        var subscription = await tx.FindSubscriptionAsync();
        var usage = await tx.FindUsageAsync(subscription.PeriodContaining(now).Start);
        return subscription.AdmitSubmission(subscription.PlanAt(now, plans), usage, task.Payload?.Utf8Length ?? 0, now);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tenant {TenantId} reached its limit of {Limit} pending tasks; submission refused")]
    private static partial void LogQueueFull(ILogger logger, string tenantId, int limit);
}
