using Workforce.Core.Scheduling;
using Workforce.Core.Storage;

namespace Workforce.Core.Tasks;

/// <summary>A task's outcome and the tasks leased for its agent in the same request.</summary>
public sealed record FinishedTask(WorkTask Task, IReadOnlyList<WorkTask> Next);

/// <summary>
/// Completes or fails a task exactly as <see cref="MoveTask"/> does, and then, without waiting, leases up to
/// <c>next</c> more tasks for the agent that held it (started too with <c>start</c>), as many as it has free slots:
/// one round trip where an agent would otherwise make two. The outcome is committed first, on its own: a task
/// whose outcome is recorded stays recorded whatever the lease finds, and a lease that finds nothing (or an agent
/// gone offline) gives an empty <see cref="FinishedTask.Next"/>.
/// </summary>
public sealed class FinishTaskAndLease(MoveTask move, LeaseTasks leases, IWorkforceStore store, TimeProvider clock)
{
    public Task<Outcome<FinishedTask>> CompleteAsync(
        Caller caller, Guid taskId, CompleteTaskCommand command, int next, bool start = false, CancellationToken cancellationToken = default) =>
        FinishAsync(caller, taskId, next, start, () => move.CompleteAsync(caller, taskId, command, cancellationToken), cancellationToken);

    public Task<Outcome<FinishedTask>> FailAsync(
        Caller caller, Guid taskId, FailTaskCommand command, int next, bool start = false, CancellationToken cancellationToken = default) =>
        FinishAsync(caller, taskId, next, start, () => move.FailAsync(caller, taskId, command, cancellationToken), cancellationToken);

    private async Task<Outcome<FinishedTask>> FinishAsync(
        Caller caller, Guid taskId, int next, bool start, Func<Task<Outcome<WorkTask>>> finish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (LeaseTasks.CheckBatchSize("next", next) is { } invalid)
        {
            return invalid;
        }

        // A retried failure leaves the task without its agent: with a tenant key, find out whose it was first.
        var agentId = caller.AgentId ?? (await store.FindTaskAsync(caller.TenantId, taskId, cancellationToken))?.AssignedAgentId;
        var startedAt = DateTimeOffset.UtcNow;
        var outcome = await finish();
        if (outcome.Value is not { } finished)
        {
            return outcome.Failure!;
        }

        IReadOnlyList<WorkTask> leased = [];
        if (agentId is { } agent)
        {
            var lease = await store.TransactAsync(caller.TenantId, tx => leases.AssignWithinAsync(tx, agent, next, start, clock.GetUtcNow()), cancellationToken);
            leased = lease.Value ?? [];
            LeaseTasks.Trace(startedAt, agent, leased);
        }

        return new FinishedTask(finished, leased);
    }
}
