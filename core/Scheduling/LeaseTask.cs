using System.Diagnostics;
using Workforce.Core.Agents;
using Workforce.Core.Metrics;
using Workforce.Core.Plans;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Telemetry;

namespace Workforce.Core.Scheduling;

/// <summary>
/// Hands an agent the best task it can serve: strict priority, then submission order, among pending tasks whose
/// backoff has passed, whose required capabilities the agent has, while the agent has a free slot and its tenant
/// compute minutes left. With a wait, the lease long-polls until a task turns up or the wait ends; how long each
/// request took, by how it ended, goes to <see cref="WorkforceMeter"/> when there is one.
/// </summary>
public sealed class LeaseTask(IWorkforceStore store, TaskAvailability availability, LeaseOptions options, PlanCatalogue plans, TimeProvider clock, WorkforceMeter? meter = null)
{
    /// <returns>The assigned task, or null when none became available within the wait.</returns>
    public async Task<Outcome<WorkTask?>> ExecuteAsync(Caller caller, Guid agentId, int waitSeconds = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.MayActAs(agentId))
        {
            return Failures.NotYourAgent;
        }

        if (waitSeconds is < 0 or > LeaseOptions.MaxWaitSeconds)
        {
            return Failure.Invalid("waitSeconds", $"waitSeconds must be between 0 and {LeaseOptions.MaxWaitSeconds}.");
        }

        // Spans are timed by the wall clock, as the Activity API times them, not by the domain clock.
        var startedAt = DateTimeOffset.UtcNow;
        var started = clock.GetTimestamp();
        var waitEnds = clock.GetUtcNow().AddSeconds(waitSeconds);
        while (true)
        {
            var signal = availability.NextSignal(caller.TenantId);
            var outcome = await store.TransactAsync(caller.TenantId, tx => TryLeaseAsync(tx, agentId, clock.GetUtcNow()), cancellationToken);
            var remaining = waitEnds - clock.GetUtcNow();
            if (!outcome.Succeeded || outcome.Value is not null || remaining <= TimeSpan.Zero)
            {
                Trace(startedAt, agentId, outcome);
                meter?.RecordLeaseWait(clock.GetElapsedTime(started),
                    !outcome.Succeeded ? LeaseWaitOutcome.Refused : outcome.Value is null ? LeaseWaitOutcome.Empty : LeaseWaitOutcome.Leased);
                return outcome;
            }

            var wait = remaining < options.RecheckInterval ? remaining : options.RecheckInterval;
            await signal.WaitAsync(wait, clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Records the lease in the submission's trace, so submit, lease and complete read as one trace: the span is a
    /// child of the task's stored <c>traceparent</c>, linked to the agent's lease request (which began before the
    /// agent knew which task it would get). Task ids go on spans only, never on metrics (cardinality).
    /// </summary>
    private static void Trace(DateTimeOffset startedAt, Guid agentId, Outcome<WorkTask?> outcome)
    {
        if (outcome.Value is not { } task || !WorkforceTraces.Source.HasListeners())
        {
            return;
        }

        var request = Activity.Current?.Context;
        ActivityLink[] links = request is { } context && context != default ? [new ActivityLink(context)] : [];
        var parent = task.TraceParent is not null && ActivityContext.TryParse(task.TraceParent, null, out var submission) ? submission : default;
        using var span = WorkforceTraces.Source.StartActivity("task.lease", ActivityKind.Internal, parent, links: links, startTime: startedAt);
        span?.SetTag("workforce.task.id", task.Id);
        span?.SetTag("workforce.task.attempt", task.Attempt);
        span?.SetTag("workforce.agent.id", agentId);
    }

    private async ValueTask<Outcome<WorkTask?>> TryLeaseAsync(ITenantTransaction tx, Guid agentId, DateTimeOffset now)
    {
        if (await tx.FindAgentAsync(agentId) is not { } agent)
        {
            return Failure.NotFound($"Agent {agentId}");
        }

        if (agent.Status == AgentStatus.Offline)
        {
            return Failure.Conflict($"Agent {agentId} is offline; send a heartbeat to bring it back online before leasing.");
        }

        if (!agent.HasFreeSlot || (plans.Enforced && await ComputeUsedUpAsync(tx, now)))
        {
            return Outcome<WorkTask?>.Success(null);
        }

        var scanned = 0;
        await foreach (var task in tx.PendingTasksInLeaseOrder(now))
        {
            if (task.IsPastDeadline(now))
            {
                tx.Move(task, task.Expire(now));
                continue;
            }

            if (task.IsLeasable(now) && agent.CanServe(task))
            {
                var assigned = tx.Move(task, task.AssignTo(agent.Id, now));
                tx.Update(agent.TaskAssigned());
                return assigned;
            }

            if (++scanned >= options.MaxTasksScanned)
            {
                break;
            }
        }

        return Outcome<WorkTask?>.Success(null);
    }

    /// <summary>A tenant out of compute minutes (or suspended) gets no new work: its tasks stay pending until the period resets.</summary>
    private async ValueTask<bool> ComputeUsedUpAsync(ITenantTransaction tx, DateTimeOffset now)
    {
        var subscription = await tx.FindSubscriptionAsync();
        var usage = await tx.FindUsageAsync(subscription.PeriodContaining(now).Start);
        return subscription.AdmitLease(subscription.PlanAt(now, plans), usage, now) is not null;
    }
}
