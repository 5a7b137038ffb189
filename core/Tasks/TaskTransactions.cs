using Workforce.Core.Notifications;
using Workforce.Core.Storage;
using Workforce.Core.Usage;

namespace Workforce.Core.Tasks;

/// <summary>
/// Writes a task together with the transition that produced it, so no change escapes the history, and meters what
/// the change uses in the same transaction, so usage is neither lost nor counted twice: an accepted task and the
/// bytes it keeps, and the running time of every attempt that ends, however it ends (completed, failed, timed out,
/// handed back, cancelled). A task that fails for good raises task.failed with the same change.
/// </summary>
public static class TaskTransactions
{
    public static void Submit(this ITenantTransaction tx, WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(task);
        tx.Add(task);
        tx.Record(TaskTransition.Between(null, task));
        tx.Meter(UsageEvent.TaskAccepted(task.Id, task.CreatedAt));
        if (task.Payload is { } payload)
        {
            tx.Meter(UsageEvent.Stored($"payload:{task.Id:N}", payload.Utf8Length, task.CreatedAt));
        }
    }

    public static WorkTask Move(this ITenantTransaction tx, WorkTask before, WorkTask after)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        tx.Update(after);
        tx.Record(TaskTransition.Between(before, after));
        if (before.State == TaskState.Running && after.State != TaskState.Running)
        {
            tx.Meter(UsageEvent.AttemptRan(after.Id, before.Attempt, before.StateEnteredAt, after.UpdatedAt));
        }

        if (after.State == TaskState.Failed && before.State != TaskState.Failed)
        {
            tx.Raise(NotificationEvents.OfTaskFailed(after, after.UpdatedAt));
        }

        if (after.Result is { } result && before.Result is null)
        {
            tx.Meter(UsageEvent.Stored($"result:{after.Id:N}", result.Utf8Length, after.UpdatedAt));
        }

        return after;
    }
}
