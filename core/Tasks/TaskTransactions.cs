using Workforce.Core.Storage;

namespace Workforce.Core.Tasks;

/// <summary>Writes a task together with the transition that produced it, so no change escapes the history.</summary>
public static class TaskTransactions
{
    public static void Submit(this ITenantTransaction tx, WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(tx);
        tx.Add(task);
        tx.Record(TaskTransition.Between(null, task));
    }

    public static WorkTask Move(this ITenantTransaction tx, WorkTask before, WorkTask after)
    {
        ArgumentNullException.ThrowIfNull(tx);
        tx.Update(after);
        tx.Record(TaskTransition.Between(before, after));
        return after;
    }
}
