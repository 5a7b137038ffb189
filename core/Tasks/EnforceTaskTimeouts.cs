using Microsoft.Extensions.Logging;
using Workforce.Core.Storage;

namespace Workforce.Core.Tasks;

/// <summary>
/// Applies a task's time limits: an assigned task its agent did not start within the assignment window, and a
/// running task that outlived its timeout, fail (and are retried with backoff while attempts are left); a pending
/// task past its deadline expires. Safe to run at any time and more than once: a task within its limits is left
/// alone.
/// </summary>
public sealed partial class EnforceTaskTimeouts(IWorkforceStore store, TaskOptions options, TimeProvider clock, ILogger<EnforceTaskTimeouts> logger)
{
    /// <returns>The task as it now stands, or null when it no longer exists.</returns>
    public async Task<TaskSnapshot?> ExecuteAsync(string tenantId, Guid taskId, CancellationToken cancellationToken = default)
    {
        var random = Random.Shared.NextDouble();
        var (task, timedOut) = await store.TransactAsync(tenantId, async tx =>
        {
            if (await tx.FindTaskAsync(taskId) is not { } current)
            {
                return (null, false);
            }

            if (Overdue(current, clock.GetUtcNow(), random) is not { } overdue)
            {
                return (current, false);
            }

            tx.Move(current, overdue);
            if (current.State.HoldsAgent() && await tx.FindAgentAsync(current.AssignedAgentId!.Value) is { } agent)
            {
                tx.Update(agent.TaskReleased());
            }

            return ((WorkTask?)overdue, true);
        }, cancellationToken);

        if (timedOut)
        {
            LogTimedOut(logger, taskId, tenantId, task!.State, task.Error);
        }

        return task is null ? null : TaskSnapshot.Of(task);
    }

    private WorkTask? Overdue(WorkTask task, DateTimeOffset now, double random)
    {
        var timeouts = new TaskTimeouts(task.TimeoutSeconds, task.Deadline, options.AssignmentTimeout);
        if (TaskSnapshot.Of(task).DueAt(timeouts) is not { } due || due > now)
        {
            return null;
        }

        var backoff = options.Retry.DelayAfter(task.Attempt, random);
        return task.State switch
        {
            TaskState.Assigned => task.Fail($"The agent did not start the task within {options.AssignmentTimeout.TotalSeconds:0} s of leasing it.", retryable: true, backoff, now),
            TaskState.Running => task.Fail($"The task did not complete within its timeout of {task.TimeoutSeconds} s.", retryable: true, backoff, now),
            _ => task.Expire(now),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} of tenant {TenantId} timed out and is now {State}: {Reason}")]
    private static partial void LogTimedOut(ILogger logger, Guid taskId, string tenantId, TaskState state, string? reason);
}
