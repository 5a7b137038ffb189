using Microsoft.Extensions.Logging;
using Workforce.Core.Notifications;
using Workforce.Core.Plans;
using Workforce.Core.Storage;
using Workforce.Core.Subscriptions;
using Workforce.Core.Telemetry;
using Workforce.Core.Usage;

namespace Workforce.Core.Tasks;

/// <summary>One task of a batch submission: the fields of a single submission and its own optional idempotency key.</summary>
public sealed record SubmitTaskBatchItem(
    string? Type,
    TaskPriority? Priority = null,
    RawJson? Payload = null,
    IReadOnlyList<string>? RequiredCapabilities = null,
    int? TimeoutSeconds = null,
    int? MaxRetries = null,
    DateTimeOffset? Deadline = null,
    string? IdempotencyKey = null)
{
    public SubmitTaskCommand Command => new(Type, Priority, Payload, RequiredCapabilities, TimeoutSeconds, MaxRetries, Deadline);
}

public sealed record SubmitTasksCommand(IReadOnlyList<SubmitTaskBatchItem?>? Tasks)
{
    public const int MaxTasks = 500;
}

/// <summary>
/// Accepts up to <see cref="SubmitTasksCommand.MaxTasks"/> tasks in one store transaction, each exactly as
/// <see cref="SubmitTask"/> would accept it alone — validated, replayed under its idempotency key, refused when the
/// tenant's queue is full or a quota would be exceeded (counting the items of the batch accepted before it), and
/// otherwise kept with its transition, usage and lifecycle message — and answers each in request order. One item's
/// refusal does not refuse the others; only a request that is not a batch at all is refused as a whole.
/// </summary>
public sealed partial class SubmitTasks(
    IWorkforceStore store, TaskOptions options, PlanCatalogue plans, NotificationOptions notifications, TimeProvider clock, ILogger<SubmitTasks> logger)
{
    public async Task<Outcome<IReadOnlyList<Outcome<SubmittedTask>>>> ExecuteAsync(Caller caller, SubmitTasksCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        if (command.Tasks is not { Count: >= 1 and <= SubmitTasksCommand.MaxTasks } items)
        {
            return Failure.Invalid("tasks", $"Send 1 to {SubmitTasksCommand.MaxTasks} tasks; there were {command.Tasks?.Count ?? 0}.");
        }

        var now = clock.GetUtcNow();
        using var span = WorkforceTraces.Source.StartActivity("task.submit.batch");
        span?.SetTag("workforce.batch.size", items.Count);
        var traceParent = WorkforceTraces.CurrentTraceParent();
        var checkedItems = items.Select(item => Check(item, now)).ToList();
        var outcomes = await store.TransactAsync(caller.TenantId, tx => AdmitAllAsync(tx, caller.TenantId, checkedItems, traceParent, now), cancellationToken);
        var queueFull = outcomes.Count(o => o.Failure is { Kind: FailureKind.QueueFull });
        span?.SetTag("workforce.batch.accepted", outcomes.Count(o => o.Succeeded));
        if (queueFull > 0)
        {
            LogQueueFull(logger, caller.TenantId, options.MaxPendingPerTenant, queueFull);
        }

        return Outcome<IReadOnlyList<Outcome<SubmittedTask>>>.Success(outcomes);
    }

    private static CheckedItem Check(SubmitTaskBatchItem? item, DateTimeOffset now)
    {
        if (item is null)
        {
            return new CheckedItem(null, null, Failure.Invalid("tasks", "Every item of tasks must be a task object, not null."));
        }

        var command = item.Command;
        var refusal = SubmitTask.Validate(command, idempotencyKey: null, now);
        if (refusal is null && item.IdempotencyKey is { Length: < 1 or > 255 })
        {
            refusal = Failure.Invalid("idempotencyKey", "idempotencyKey must be 1 to 255 characters.");
        }

        return new CheckedItem(command, item.IdempotencyKey, refusal);
    }

    private async ValueTask<IReadOnlyList<Outcome<SubmittedTask>>> AdmitAllAsync(
        ITenantTransaction tx, string tenantId, IReadOnlyList<CheckedItem> items, string? traceParent, DateTimeOffset now)
    {
        var outcomes = new List<Outcome<SubmittedTask>>(items.Count);
        var pending = await tx.CountPendingTasksAsync();
        var quota = plans.Enforced ? await QuotaStateAsync(tx, now) : null;
        // A key given twice in one batch: the second is a replay of the first, as it would be in two requests.
        var keyed = new Dictionary<string, (SubmitTaskCommand Command, WorkTask Task)>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.Refusal is { } refusal)
            {
                outcomes.Add(refusal);
                continue;
            }

            var command = item.Command!;
            if (item.IdempotencyKey is { } key)
            {
                if (keyed.TryGetValue(key, out var earlierInBatch))
                {
                    outcomes.Add(earlierInBatch.Command.Fingerprint() == command.Fingerprint()
                        ? new SubmittedTask(earlierInBatch.Task, Replayed: true)
                        : new Failure(FailureKind.Unprocessable, "This idempotencyKey was already used for a different task in this batch; use a new key for a new task."));
                    continue;
                }

                if (await tx.FindSubmissionAsync(key, now) is { } earlier)
                {
                    outcomes.Add(await SubmitTask.ReplayAsync(tx, earlier, command));
                    continue;
                }
            }

            if (pending >= options.MaxPendingPerTenant)
            {
                outcomes.Add(new Failure(FailureKind.QueueFull, $"The tenant already has {options.MaxPendingPerTenant} pending tasks; retry later.")
                {
                    RetryAfter = options.QueueFullRetryAfter,
                });
                continue;
            }

            var task = SubmitTask.NewTask(tenantId, command, now) with { TraceParent = traceParent };
            if (quota is not null && quota.Refuse(task, now) is { } quotaRefusal)
            {
                outcomes.Add(quotaRefusal.ToFailure(now));
                continue;
            }

            tx.Submit(task);
            if (task.StartsLifecycle(before: null))
            {
                tx.Send(TaskQueueMessage.For(task));
            }
            pending++;
            if (pending == notifications.BacklogThreshold)
            {
                tx.Raise(NotificationEvents.OfQueueBacklog(tenantId, pending, notifications.BacklogThreshold, now));
            }

            if (item.IdempotencyKey is { } acceptedKey)
            {
                tx.Add(new IdempotentSubmission(acceptedKey, task.Id, command.Fingerprint(), now + options.IdempotencyWindow));
                keyed[acceptedKey] = (command, task);
            }

            outcomes.Add(new SubmittedTask(task, Replayed: false));
        }

        return outcomes;
    }

    private async ValueTask<QuotaState> QuotaStateAsync(ITenantTransaction tx, DateTimeOffset now)
    {
        var subscription = await tx.FindSubscriptionAsync();
        var usage = await tx.FindUsageAsync(subscription.PeriodContaining(now).Start);
        return new QuotaState(subscription, subscription.PlanAt(now, plans), usage);
    }

    /// <summary>The tenant's usage as the batch grows: each accepted item counts against the quotas of the next.</summary>
    private sealed class QuotaState(Subscription subscription, Plan plan, PeriodUsage usage)
    {
        private PeriodUsage _usage = usage;

        public QuotaRefusal? Refuse(WorkTask task, DateTimeOffset now)
        {
            var payloadBytes = task.Payload?.Utf8Length ?? 0;
            if (subscription.AdmitSubmission(plan, _usage, payloadBytes, now) is { } refusal)
            {
                return refusal;
            }

            _usage = _usage.Add(Meter.Tasks, 1).Add(Meter.StorageBytes, payloadBytes);
            return null;
        }
    }

    private sealed record CheckedItem(SubmitTaskCommand? Command, string? IdempotencyKey, Failure? Refusal);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tenant {TenantId} reached its limit of {Limit} pending tasks; {Refused} tasks of a batch refused")]
    private static partial void LogQueueFull(ILogger logger, string tenantId, int limit, int refused);
}
