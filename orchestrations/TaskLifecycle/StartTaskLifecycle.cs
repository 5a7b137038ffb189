using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Telemetry;
using TaskOptions = Workforce.Core.Tasks.TaskOptions;

namespace Workforce.Orchestrations.TaskLifecycle;

/// <summary>
/// Handles a message of the task queues: starts the task's lifecycle workflow from the task as it reads it, and
/// tells the workflow of a change made while it was being started. Idempotent, since queues deliver at least once:
/// an instance that already runs, or a task already finished, completes the message. A body that is not
/// a task message is dead-lettered; any other error propagates so the host abandons the message and it is retried
/// (up to the queue's max delivery count).
/// </summary>
public sealed partial class StartTaskLifecycle(
    IWorkforceStore store,
    DurableTaskClient orchestrations,
    TaskOptions taskOptions,
    LifecycleOptions options,
    ILogger<StartTaskLifecycle> logger)
{
    public async Task<HandlingResult> HandleAsync(string body, CancellationToken cancellationToken = default)
    {
        if (TaskQueueMessage.Parse(body) is not { } message)
        {
            return new HandlingResult(MessageSettlement.DeadLetter, "The body is not a task message: {\"tenantId\":…,\"taskId\":…}.");
        }

        var task = await store.FindTaskAsync(message.TenantId, message.TaskId, cancellationToken);
        if (task is null || task.State.IsTerminal())
        {
            return HandlingResult.Completed;
        }

        // The work queue's delivery, in the submission's trace: the workflow started here inherits it.
        using var span = WorkforceTraces.StartFrom("task.lifecycle.start", System.Diagnostics.ActivityKind.Consumer, task.TraceParent);
        span?.SetTag("workforce.task.id", task.Id);
        span?.SetTag("messaging.operation.type", "process");
        span?.SetTag("messaging.destination.name", Core.Queues.WorkQueues.ForPriority(task.Priority));
        var instanceId = TaskLifecycleInstance.Id(task.TenantId, task.Id);
        var input = new TaskLifecycleInput(task.TenantId, task.Id, new TaskTimeouts(task.TimeoutSeconds, task.Deadline, taskOptions.AssignmentTimeout),
            options.IdleRecheck, TaskSnapshot.Of(task));
        if (!await orchestrations.TryStartAsync(WorkflowNames.TaskLifecycle, instanceId, input, cancellationToken))
        {
            LogAlreadyWatched(logger, task.Id);
            return HandlingResult.Completed;
        }

        // A change committed between the read and the instance's creation was relayed to no instance. Any later
        // change reaches the instance through the relay.
        var latest = await store.FindTaskAsync(task.TenantId, task.Id, cancellationToken);
        if (latest is null)
        {
            // Deleted meanwhile (DeleteTask): nothing is left to watch, and the instance must not wait for its timer.
            await orchestrations.TerminateInstanceAsync(instanceId, "The task was deleted.", cancellationToken);
        }
        else if (latest.Revision > task.Revision)
        {
            await orchestrations.RaiseEventAsync(instanceId, TaskLifecycleOrchestrator.TaskChangedEvent, TaskSnapshot.Of(latest), cancellationToken);
        }

        return HandlingResult.Completed;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} already has a lifecycle workflow; the message was a redelivery")]
    private static partial void LogAlreadyWatched(ILogger logger, Guid taskId);
}
