using Microsoft.Extensions.Logging;

namespace Workforce.Core.Tasks;

/// <summary>Something that wants to know about task transitions once they are committed.</summary>
public interface ITaskObserver
{
    /// <summary>Called after the commit, in commit order per tenant. Must return quickly and not throw.</summary>
    void OnCommitted(IReadOnlyList<TaskTransition> transitions);

    /// <summary>
    /// Called after the commit that deleted a task's record (<see cref="DeleteTask"/>). Must return quickly and not
    /// throw. Most observers need nothing of it: a task that had not finished was cancelled first, which they hear of
    /// as a transition.
    /// </summary>
    void OnRemoved(TaskRemoval removal)
    {
    }
}

/// <summary>A task whose record was deleted, as it was when it went (cancelled first when it had not finished).</summary>
public sealed record TaskRemoval(string TenantId, Guid TaskId, string Type, TaskState State, TaskPriority Priority, DateTimeOffset At)
{
    public static TaskRemoval Of(WorkTask task, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.TenantId, task.Id, task.Type, task.State, task.Priority, at);
    }
}

/// <summary>
/// The notification hook on every task state change. Storage adapters publish each committed transaction's
/// transitions here; the feed hands them to every registered observer. Delivery is in-process and at most once —
/// a crash between commit and publish loses the notification, never the change, which stays in the task's
/// history; observers that must not miss a change (the lifecycle workflow) have their own safety net. Deleting a
/// task's record is not a transition: <see cref="DeleteTask"/> publishes it here after its commit, with the same
/// at-most-once delivery.
/// </summary>
/// <remarks>
/// The observers are resolved on the first publish, not when the feed is built: an observer may depend on
/// services (the orchestration engine and its activities) that themselves depend on the store that publishes here.
/// </remarks>
public sealed partial class TaskChangeFeed(Func<IEnumerable<ITaskObserver>> observers, ILogger<TaskChangeFeed> logger)
{
    private readonly Lazy<ITaskObserver[]> _observers = new(() => [.. observers()]);

    public void Publish(IReadOnlyList<TaskTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        if (transitions.Count == 0)
        {
            return;
        }

        Notify(observer => observer.OnCommitted(transitions));
    }

    public void PublishRemoved(TaskRemoval removal)
    {
        ArgumentNullException.ThrowIfNull(removal);
        Notify(observer => observer.OnRemoved(removal));
    }

    private void Notify(Action<ITaskObserver> notify)
    {
        foreach (var observer in _observers.Value)
        {
            try
            {
                notify(observer);
            }
            catch (Exception e)
            {
                LogObserverFailed(logger, e, observer.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Task observer {Observer} failed; it missed a notification")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, string observer);
}
