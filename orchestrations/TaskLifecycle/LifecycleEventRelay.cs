using System.Threading.Channels;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;

namespace Workforce.Orchestrations.TaskLifecycle;

/// <summary>
/// Tells each task's lifecycle workflow about the task's committed transitions, as <c>TaskChanged</c> events.
/// Where a process outlives the requests (the standalone server), observing must not slow the request that
/// committed: transitions are queued in memory and raised by <see cref="RunAsync"/> in batches. A serverless host
/// raises the transitions of each invocation itself, with <see cref="RaiseAsync"/>, before the invocation ends.
/// Within one batch only the newest transition of a task is raised, since the workflow keeps the highest revision
/// anyway. What a crash cuts off is made up for at the next start (<see cref="CatchUpAsync"/>).
/// </summary>
public sealed partial class LifecycleEventRelay(
    IWorkforceStore store,
    DurableTaskClient orchestrations,
    LifecycleOptions options,
    TimeProvider clock,
    ILogger<LifecycleEventRelay> logger) : ITaskObserver
{
    private readonly Channel<TaskTransition> _pending = Channel.CreateUnbounded<TaskTransition>(new UnboundedChannelOptions { SingleReader = true });

    public void OnCommitted(IReadOnlyList<TaskTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        foreach (var transition in transitions)
        {
            _pending.Writer.TryWrite(transition);
        }
    }

    /// <summary>
    /// Tells the workflow of every task an agent holds the task's current state. The transitions waiting here when the
    /// process died were never raised, and a workflow that missed its task's lease or start would otherwise wait for
    /// its idle recheck (minutes) while the task's own time limit ran out. Only held tasks can be late that way: a
    /// workflow that missed any other change still has a timer due no later than the limit it enforces, and when it
    /// fires the workflow reads the task. There are no more held tasks than the agents have slots.
    /// </summary>
    /// <remarks>A failure to catch up is logged, not thrown: the workflows' own timers still make up for it, later.</remarks>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            var held = await store.ListHeldTasksAsync(cancellationToken);
            await Task.WhenAll(held.Select(task => RaiseAsync(task.TenantId, task.Id, TaskSnapshot.Of(task), cancellationToken)));
            LogCaughtUp(logger, held.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCatchUpFailed(logger, e);
        }
    }

    /// <summary>
    /// Raises what arrives, each batch gathered for <see cref="LifecycleOptions.EventBatchWindow"/> after its first
    /// transition, so that a task moving several times within the window (a quick lease, start and complete) costs
    /// its workflow one event and one episode rather than one per move.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<TaskTransition>();
        while (await _pending.Reader.WaitToReadAsync(cancellationToken))
        {
            await Task.Delay(options.EventBatchWindow, clock, cancellationToken);
            batch.Clear();
            while (_pending.Reader.TryRead(out var transition))
            {
                batch.Add(transition);
            }

            await RaiseAsync(batch, cancellationToken);
        }
    }

    /// <summary>Raises the newest of the given transitions of each task, now; a failure is logged, not thrown.</summary>
    public Task RaiseAsync(IEnumerable<TaskTransition> transitions, CancellationToken cancellationToken)
    {
        var newest = new Dictionary<Guid, TaskTransition>();
        foreach (var transition in transitions)
        {
            // A submission has no workflow yet; the workflow reads the task when it starts.
            if (transition.From is not null)
            {
                newest[transition.TaskId] = transition;
            }
        }

        return Task.WhenAll(newest.Values.Select(t => RaiseAsync(t, cancellationToken)));
    }

    private Task RaiseAsync(TaskTransition transition, CancellationToken cancellationToken) =>
        RaiseAsync(transition.TenantId, transition.TaskId, TaskSnapshot.Of(transition), cancellationToken);

    private async Task RaiseAsync(string tenantId, Guid taskId, TaskSnapshot snapshot, CancellationToken cancellationToken)
    {
        try
        {
            await orchestrations.RaiseEventAsync(TaskLifecycleInstance.Id(tenantId, taskId), TaskLifecycleOrchestrator.TaskChangedEvent, snapshot, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRaiseFailed(logger, e, taskId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Told the lifecycle workflows of {Count} held tasks their current state after the start")]
    private static partial void LogCaughtUp(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not tell the held tasks' lifecycle workflows their state after the start; their timers will catch up")]
    private static partial void LogCatchUpFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the lifecycle workflow of task {TaskId} about a change; its timers will catch up")]
    private static partial void LogRaiseFailed(ILogger logger, Exception exception, Guid taskId);
}
