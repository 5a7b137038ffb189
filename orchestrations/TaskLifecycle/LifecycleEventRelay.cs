using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Workforce.Core.Tasks;
using Workforce.Orchestrations.Durable;

namespace Workforce.Orchestrations.TaskLifecycle;

/// <summary>
/// Tells each task's lifecycle workflow about the task's committed transitions, as <c>TaskChanged</c> events.
/// Observing must not slow the request that committed, so transitions are queued in memory and raised by
/// <see cref="RunAsync"/>; within one batch only the newest transition of a task is raised, since the workflow
/// keeps the highest revision anyway. A notification lost to a crash is covered by the workflow's own timers.
/// </summary>
public sealed partial class LifecycleEventRelay(IOrchestrationClient orchestrations, ILogger<LifecycleEventRelay> logger) : ITaskObserver
{
    private const int MaxBatch = 1_000;
    private readonly Channel<TaskTransition> _pending = Channel.CreateUnbounded<TaskTransition>(new UnboundedChannelOptions { SingleReader = true });

    public void OnCommitted(IReadOnlyList<TaskTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        foreach (var transition in transitions)
        {
            // A submission has no workflow yet; the workflow reads the task when it starts.
            if (transition.From is not null)
            {
                _pending.Writer.TryWrite(transition);
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new Dictionary<Guid, TaskTransition>();
        while (await _pending.Reader.WaitToReadAsync(cancellationToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var transition))
            {
                batch[transition.TaskId] = transition;
            }

            await Task.WhenAll(batch.Values.Select(t => RaiseAsync(t, cancellationToken)));
        }
    }

    private async Task RaiseAsync(TaskTransition transition, CancellationToken cancellationToken)
    {
        try
        {
            await orchestrations.RaiseEventAsync(
                TaskLifecycleInstance.Id(transition.TenantId, transition.TaskId), TaskLifecycleOrchestrator.TaskChangedEvent, TaskSnapshot.Of(transition), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRaiseFailed(logger, e, transition.TaskId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the lifecycle workflow of task {TaskId} about a change; its timers will catch up")]
    private static partial void LogRaiseFailed(ILogger logger, Exception exception, Guid taskId);
}
