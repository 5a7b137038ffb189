using Microsoft.Extensions.Logging;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;

namespace Workforce.Core.Tasks;

public sealed record CompleteTaskCommand(RawJson? Result = null);

public sealed record FailTaskCommand(string? Error, bool? Retryable = null)
{
    public const int MaxErrorLength = 4_000;
}

/// <summary>
/// Moves a task through its lifecycle on behalf of its agent (start, complete, fail) or its tenant (any of those,
/// and cancel). The task decides whether the move is legal; a task leaving its agent frees the agent's slot.
/// </summary>
public sealed partial class MoveTask(IWorkforceStore store, TaskOptions options, NotificationInterest interest, TimeProvider clock, ILogger<MoveTask> logger)
{
    public Task<Outcome<WorkTask>> StartAsync(Caller caller, Guid taskId, CancellationToken cancellationToken = default) =>
        MoveAsync(caller, taskId, static (task, now) => task.Start(now), cancellationToken);

    public async Task<Outcome<WorkTask>> CompleteAsync(Caller caller, Guid taskId, CompleteTaskCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Result is { } result && result.Utf8Length > WorkTask.MaxPayloadBytes)
        {
            return new Failure(FailureKind.TooLarge, $"The result is {result.Utf8Length / 1024} KiB; the limit is {WorkTask.MaxPayloadBytes / 1024} KiB.");
        }

        var announce = await interest.AsksForAsync(caller.TenantId, NotificationEvents.TaskCompleted, cancellationToken);
        return await MoveAsync(caller, taskId, (task, now) => task.Complete(command.Result, now), cancellationToken, announce);
    }

    public Task<Outcome<WorkTask>> FailAsync(Caller caller, Guid taskId, FailTaskCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrWhiteSpace(command.Error) || command.Error.Length > FailTaskCommand.MaxErrorLength)
        {
            return Task.FromResult<Outcome<WorkTask>>(Failure.Invalid("error", $"Describe the error in 1 to {FailTaskCommand.MaxErrorLength} characters."));
        }

        var random = Random.Shared.NextDouble();
        return MoveAsync(caller, taskId,
            (task, now) => task.Fail(command.Error, command.Retryable ?? true, options.Retry.DelayAfter(task.Attempt, random), now),
            cancellationToken);
    }

    public Task<Outcome<WorkTask>> CancelAsync(Caller caller, Guid taskId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAgent
            ? Task.FromResult<Outcome<WorkTask>>(Failures.AgentKeyNotAllowed)
            : MoveAsync(caller, taskId, static (task, now) => task.Cancel(now), cancellationToken);
    }

    /// <param name="announceCompletion">Raise task.completed if the move completes the task: an endpoint asks for it.</param>
    private async Task<Outcome<WorkTask>> MoveAsync(
        Caller caller, Guid taskId, Func<WorkTask, DateTimeOffset, WorkTask> move, CancellationToken cancellationToken, bool announceCompletion = false)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var outcome = await store.TransactAsync(caller.TenantId, async tx =>
        {
            if (await tx.FindTaskAsync(taskId) is not { } task)
            {
                return Failure.NotFound($"Task {taskId}");
            }

            if (caller.IsAgent && task.AssignedAgentId != caller.AgentId)
            {
                return Failures.NotYourTask;
            }

            WorkTask moved;
            try
            {
                moved = move(task, clock.GetUtcNow());
            }
            catch (IllegalTransitionException illegal)
            {
                return Failure.Conflict(illegal.Message);
            }

            tx.Move(task, moved);
            if (announceCompletion && moved.State == TaskState.Completed)
            {
                tx.Raise(NotificationEvents.OfTaskCompleted(moved, task.AssignedAgentId, moved.UpdatedAt));
            }

            if (task.State.HoldsAgent() && !moved.State.HoldsAgent() && await tx.FindAgentAsync(task.AssignedAgentId!.Value) is { } agent)
            {
                tx.Update(agent.TaskReleased());
            }

            return Outcome<WorkTask>.Success(moved);
        }, cancellationToken);

        if (outcome.Value is { State: TaskState.Failed } failed)
        {
            LogTaskFailed(logger, failed.Id, failed.TenantId, failed.Attempt, failed.Error);
        }

        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} of tenant {TenantId} failed for good after {Attempt} attempts: {Error}")]
    private static partial void LogTaskFailed(ILogger logger, Guid taskId, string tenantId, int attempt, string? error);
}
