using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;
using Workforce.Core.Telemetry;

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
        MoveAsync(caller, taskId, "task.start", static (task, now) => task.Start(now), cancellationToken);

    public async Task<Outcome<WorkTask>> CompleteAsync(Caller caller, Guid taskId, CompleteTaskCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Result is { } result && result.Utf8Length > WorkTask.MaxPayloadBytes)
        {
            return new Failure(FailureKind.TooLarge, $"The result is {result.Utf8Length / 1024} KiB; the limit is {WorkTask.MaxPayloadBytes / 1024} KiB.");
        }

        var announce = await interest.AsksForAsync(caller.TenantId, NotificationEvents.TaskCompleted, cancellationToken);
        return await MoveAsync(caller, taskId, "task.complete", (task, now) => task.Complete(command.Result, now), cancellationToken, announce);
    }

    public Task<Outcome<WorkTask>> FailAsync(Caller caller, Guid taskId, FailTaskCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrWhiteSpace(command.Error) || command.Error.Length > FailTaskCommand.MaxErrorLength)
        {
            return Task.FromResult<Outcome<WorkTask>>(Failure.Invalid("error", $"Describe the error in 1 to {FailTaskCommand.MaxErrorLength} characters."));
        }

        var random = Random.Shared.NextDouble();
        return MoveAsync(caller, taskId, "task.fail",
            (task, now) => task.Fail(command.Error, command.Retryable ?? true, options.Retry.DelayAfter(task.Attempt, random), now),
            cancellationToken);
    }

    public Task<Outcome<WorkTask>> CancelAsync(Caller caller, Guid taskId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAgent
            ? Task.FromResult<Outcome<WorkTask>>(Failures.AgentKeyNotAllowed)
            : MoveAsync(caller, taskId, "task.cancel", static (task, now) => task.Cancel(now), cancellationToken);
    }

    /// <param name="span">The span's name; it joins the caller's trace (an agent sends the lease's traceContext as its traceparent).</param>
    /// <param name="announceCompletion">Raise task.completed if the move completes the task: an endpoint asks for it.</param>
    private async Task<Outcome<WorkTask>> MoveAsync(
        Caller caller, Guid taskId, string span, Func<WorkTask, DateTimeOffset, WorkTask> move, CancellationToken cancellationToken, bool announceCompletion = false)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var activity = WorkforceTraces.Source.StartActivity(span);
        activity?.SetTag("workforce.task.id", taskId);
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

        Trace(activity, outcome);
        if (outcome.Value is { State: TaskState.Failed } failed)
        {
            LogTaskFailed(logger, failed.Id, failed.TenantId, failed.Attempt, failed.Error);
        }

        return outcome;
    }

    /// <summary>A call that did not continue the submission's trace (no traceparent sent) still links to it.</summary>
    private static void Trace(Activity? activity, Outcome<WorkTask> outcome)
    {
        if (activity is null)
        {
            return;
        }

        if (outcome.Failure is { } failure)
        {
            activity.Fail(failure.Kind.ToString());
            return;
        }

        var task = outcome.Value!;
        activity.SetTag("workforce.task.state", task.State.ToString().ToLowerInvariant());
        activity.SetTag("workforce.task.attempt", task.Attempt);
        if (task.TraceParent is not null && ActivityContext.TryParse(task.TraceParent, null, out var submission) && submission.TraceId != activity.TraceId)
        {
            activity.AddLink(new ActivityLink(submission));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} of tenant {TenantId} failed for good after {Attempt} attempts: {Error}")]
    private static partial void LogTaskFailed(ILogger logger, Guid taskId, string tenantId, int attempt, string? error);
}
