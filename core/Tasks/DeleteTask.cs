using Microsoft.Extensions.Logging;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;
using Workforce.Core.Usage;

namespace Workforce.Core.Tasks;

/// <summary>The task as it was when it was deleted; <see cref="Cancelled"/> when it had not finished and was cancelled first.</summary>
public sealed record DeletedTask(WorkTask Task, bool Cancelled);

/// <summary>
/// Deletes a task's record: the task, its history and its place in the queue, in one transaction. A task that has not
/// finished is cancelled first, in the same transaction, exactly as a cancel would (its agent's slot is freed, the
/// running time of an attempt in progress is metered, and the cancellation is announced), so its lifecycle workflow
/// ends and its agent's next call about it finds nothing. What was metered stays: usage and analytics count what
/// happened. The bytes the task kept are given back. Its idempotency records stay until they expire, so a replay of
/// its submission is refused (409) rather than quietly creating it again; tasks that retried it keep their
/// <c>retryOf</c>. The deletion raises <c>task.deleted</c> in its transaction while an endpoint asks for it, and is
/// published to the <see cref="TaskChangeFeed"/> after the commit, so live dashboards drop the task.
/// </summary>
public sealed partial class DeleteTask(
    IWorkforceStore store, TaskChangeFeed changes, NotificationInterest interest, TimeProvider clock, ILogger<DeleteTask> logger)
{
    /// <param name="expectedRevision">The revision the caller read (<c>If-Match</c>); null to delete whatever revision is current.</param>
    public async Task<Outcome<DeletedTask>> ExecuteAsync(Caller caller, Guid taskId, int? expectedRevision = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        var announce = await interest.AsksForAsync(caller.TenantId, NotificationEvents.TaskDeleted, cancellationToken);
        var outcome = await store.TransactAsync(caller.TenantId, async tx =>
        {
            if (await tx.FindTaskAsync(taskId) is not { } task)
            {
                return Failure.NotFound($"Task {taskId}");
            }

            if (TaskPreconditions.Check(task, expectedRevision) is { } stale)
            {
                return stale;
            }

            var now = clock.GetUtcNow();
            var final = task;
            if (!task.State.IsTerminal())
            {
                final = tx.Move(task, task.Cancel(now));
                if (task.State.HoldsAgent() && await tx.FindAgentAsync(task.AssignedAgentId!.Value) is { } agent)
                {
                    tx.Update(agent.TaskReleased());
                }
            }

            var kept = (final.Payload?.Utf8Length ?? 0) + (final.Result?.Utf8Length ?? 0);
            if (kept > 0)
            {
                tx.Meter(UsageEvent.Freed(final.Id, kept, final.CompletedAt ?? now));
            }

            tx.Remove(final);
            if (announce)
            {
                tx.Raise(NotificationEvents.OfTaskDeleted(final, task.State, now));
            }

            return Outcome<DeletedTask>.Success(new DeletedTask(final, Cancelled: !ReferenceEquals(final, task)));
        }, cancellationToken);

        if (outcome.Value is { } deleted)
        {
            changes.PublishRemoved(TaskRemoval.Of(deleted.Task, clock.GetUtcNow()));
            LogDeleted(logger, taskId, caller.TenantId, deleted.Task.State, deleted.Cancelled);
        }

        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} of tenant {TenantId} was deleted ({State}; cancelled first: {Cancelled})")]
    private static partial void LogDeleted(ILogger logger, Guid taskId, string tenantId, TaskState state, bool cancelled);
}
