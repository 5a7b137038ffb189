using Workforce.Core.Storage;

namespace Workforce.Core.Tasks;

/// <summary>
/// Retries a task that failed or was cancelled by submitting the same work again as a new task. The original keeps
/// its outcome and history; the new task names it (<see cref="WorkTask.RetryOf"/>), starts with a full set of
/// attempts and takes its place at the end of its priority's line. An <c>Idempotency-Key</c> guards against
/// retrying twice, as on submission.
/// </summary>
public sealed class RetryTask(IWorkforceStore store, SubmitTask submit, TimeProvider clock)
{
    public async Task<Outcome<SubmittedTask>> ExecuteAsync(Caller caller, Guid taskId, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        if (await store.FindTaskAsync(caller.TenantId, taskId, cancellationToken) is not { } task)
        {
            return Failure.NotFound($"Task {taskId}");
        }

        if (!task.CanBeRetried)
        {
            return Failure.Conflict($"Task {taskId} is {task.State.ToString().ToLowerInvariant()}; only a failed or cancelled task can be retried.");
        }

        if (task.IsPastDeadline(clock.GetUtcNow()))
        {
            return Failure.Conflict($"Task {taskId}'s deadline ({task.Deadline:O}) has passed; submit it again with a later deadline.");
        }

        return await submit.ExecuteAsync(caller, task.Resubmission(), idempotencyKey, task.Id, cancellationToken);
    }
}
