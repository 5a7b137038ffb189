using Microsoft.Extensions.Logging;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Orchestrations.Durable;
using TaskOptions = Workforce.Core.Tasks.TaskOptions;

namespace Workforce.Orchestrations.TaskLifecycle;

/// <summary>
/// Handles a message of the task queues: starts the task's lifecycle workflow. Idempotent, since queues deliver at
/// least once: an instance that already runs, or a task already finished, completes the message. A body that is not
/// a task message is dead-lettered; any other error propagates so the host abandons the message and it is retried
/// (up to the queue's max delivery count).
/// </summary>
public sealed partial class StartTaskLifecycle(
    IWorkforceStore store,
    IOrchestrationClient orchestrations,
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

        var input = new TaskLifecycleInput(task.TenantId, task.Id, new TaskTimeouts(task.TimeoutSeconds, task.Deadline, taskOptions.AssignmentTimeout), options.IdleRecheck);
        try
        {
            await orchestrations.ScheduleNewOrchestrationInstanceAsync(
                WorkflowNames.TaskLifecycle, input, new StartOrchestrationOptions(TaskLifecycleInstance.Id(task.TenantId, task.Id)), cancellationToken);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            LogAlreadyWatched(logger, task.Id);
        }

        return HandlingResult.Completed;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} already has a lifecycle workflow; the message was a redelivery")]
    private static partial void LogAlreadyWatched(ILogger logger, Guid taskId);
}
