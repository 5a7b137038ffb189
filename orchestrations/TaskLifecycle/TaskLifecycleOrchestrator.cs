using Microsoft.DurableTask;
using Workforce.Core.Tasks;
using TaskOptions = Microsoft.DurableTask.TaskOptions;

namespace Workforce.Orchestrations.TaskLifecycle;

/// <summary>
/// Watches one task from its first time limit (its submission with a deadline, else its first assignment:
/// <see cref="WorkTask.StartsLifecycle"/>) to a terminal state and enforces its time limits: an assignment its agent
/// never started, an execution past its timeout, a deadline passed in the queue. Each timed-out attempt is failed
/// (and retried with exponential backoff and jitter while attempts are left; after the last one the task is dead-
/// lettered as failed, with the reason); a task whose agent goes offline fails over back to the queue.
/// </summary>
/// <remarks>
/// The workflow learns about changes from <see cref="TaskChangedEvent"/> events raised after each committed
/// transition. Those are hints: when one is lost (a crash between commit and raise) the durable timer still fires
/// at the next due time — or after the idle recheck — and the workflow reads the task itself. It starts from the
/// snapshot its starter read (<see cref="StartTaskLifecycle"/>), which also covers the changes made before the
/// instance existed.
/// </remarks>
public sealed class TaskLifecycleOrchestrator : TaskOrchestrator<TaskLifecycleInput, TaskLifecycleOutcome?>
{
    public const string TaskChangedEvent = "TaskChanged";

    /// <summary>Rounds per execution before ContinueAsNew, so a task retried many times keeps a short history.</summary>
    public const int MaxRoundsPerExecution = 20;

    private static readonly TaskOptions EnforceRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), backoffCoefficient: 2));

    /// <returns>How the task ended, or null when it no longer exists (or the execution continued as new).</returns>
    public override async Task<TaskLifecycleOutcome?> RunAsync(TaskOrchestrationContext context, TaskLifecycleInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        TaskSnapshot? snapshot = input.Known;
        Task<TaskSnapshot>? changed = null;
        for (var round = 0; snapshot is { IsTerminal: false }; round++)
        {
            if (round == MaxRoundsPerExecution)
            {
                context.ContinueAsNew(input with { Known = snapshot });
                return null;
            }

            context.SetCustomStatus(new TaskLifecycleStatus(snapshot.State, snapshot.Revision));
            changed ??= context.WaitForExternalEvent<TaskSnapshot>(TaskChangedEvent);
            // The deadline of a pending task can change (a PATCH); the snapshot says which one applies now. A limit
            // further away than the idle recheck waits for the recheck first, so a lost event is noticed by then.
            var recheck = context.CurrentUtcDateTime + input.IdleRecheck;
            var due = snapshot.DueAt(snapshot.Applying(input.Timeouts))?.UtcDateTime is { } limit && limit < recheck ? limit : recheck;
            using var timerCancellation = new CancellationTokenSource();
            var timer = context.CreateTimer(due, timerCancellation.Token);
            if (await Task.WhenAny(changed, timer) == changed)
            {
                timerCancellation.Cancel();
                snapshot = Latest(snapshot, await changed);
                changed = null;
            }
            else
            {
                snapshot = Latest(snapshot, await context.CallActivityAsync<TaskSnapshot?>(WorkflowNames.EnforceTaskTimeouts, input.Task, EnforceRetry));
            }
        }

        if (snapshot is null)
        {
            return null;
        }

        context.SetCustomStatus(new TaskLifecycleStatus(snapshot.State, snapshot.Revision));
        return new TaskLifecycleOutcome(snapshot.State, snapshot.Error);
    }

    /// <summary>Events can be overtaken by a fresher read; the higher revision wins. Null means the task is gone.</summary>
    private static TaskSnapshot? Latest(TaskSnapshot current, TaskSnapshot? candidate) =>
        candidate is null ? null : candidate.Revision >= current.Revision ? candidate : current;
}
