using System.Diagnostics;
using Workforce.Core.Agents;
using Workforce.Core.Metrics;
using Workforce.Core.Plans;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Telemetry;

namespace Workforce.Core.Scheduling;

/// <summary>
/// Hands an agent up to <c>max</c> tasks in one store transaction: the best it can serve, in lease order (strict
/// priority, then submission order), among pending tasks whose backoff has passed and whose required capabilities it
/// has, no more than its free slots, while its tenant has compute minutes left. With <c>start</c> each task is also
/// started in the same transaction (assigned, then running: both transitions are recorded). With a wait, the lease
/// long-polls until at least one task turns up or the wait ends; how long each request took, by how it ended, goes to
/// <see cref="WorkforceMeter"/> when there is one.
/// </summary>
public sealed class LeaseTasks(
    IWorkforceStore store, TaskAvailability availability, LeaseOptions options, PlanCatalogue plans, TimeProvider clock, WorkforceMeter? meter = null)
{
    /// <summary>The most tasks one lease hands out.</summary>
    public const int MaxBatch = 100;

    /// <returns>1 to <paramref name="max"/> tasks, or none when none became available within the wait.</returns>
    public Task<Outcome<IReadOnlyList<WorkTask>>> ExecuteAsync(
        Caller caller, Guid agentId, int max, bool start = false, int waitSeconds = 0, CancellationToken cancellationToken = default) =>
        LeaseAsync(caller, agentId, new LeaseRequest(max, start, ExactMax: true), waitSeconds, cancellationToken);

    /// <summary>The lease of one task by the v1 call: as a batch of one that is never refused for want of a free slot.</summary>
    internal Task<Outcome<IReadOnlyList<WorkTask>>> LeaseOneAsync(Caller caller, Guid agentId, int waitSeconds, CancellationToken cancellationToken) =>
        LeaseAsync(caller, agentId, new LeaseRequest(1, Start: false, ExactMax: false), waitSeconds, cancellationToken);

    /// <summary>
    /// Inside the caller's transaction, without waiting: up to <paramref name="max"/> more tasks for the agent, as many
    /// as it has free slots (fewer is no error). What completing or failing a task with <c>next</c> hands out.
    /// </summary>
    internal ValueTask<Outcome<IReadOnlyList<WorkTask>>> AssignWithinAsync(ITenantTransaction tx, Guid agentId, int max, bool start, DateTimeOffset now) =>
        AssignAsync(tx, agentId, new LeaseRequest(max, start, ExactMax: false), now);

    /// <summary>Checks a batch size given by a caller; null when it is acceptable.</summary>
    internal static Failure? CheckBatchSize(string field, int size) =>
        size is >= 1 and <= MaxBatch ? null : InvalidSize(field, $"{field} must be between 1 and {MaxBatch}; it was {size}.");

    /// <summary>
    /// Records the lease in the submission's trace, so submit, lease and complete read as one trace: the span is a
    /// child of the task's stored <c>traceparent</c>, linked to the agent's lease request (which began before the
    /// agent knew which task it would get). Task ids go on spans only, never on metrics (cardinality).
    /// </summary>
    internal static void Trace(DateTimeOffset startedAt, Guid agentId, IReadOnlyList<WorkTask> tasks)
    {
        if (tasks.Count == 0 || !WorkforceTraces.Source.HasListeners())
        {
            return;
        }

        var request = Activity.Current?.Context;
        ActivityLink[] links = request is { } context && context != default ? [new ActivityLink(context)] : [];
        foreach (var task in tasks)
        {
            var parent = task.TraceParent is not null && ActivityContext.TryParse(task.TraceParent, null, out var submission) ? submission : default;
            using var span = WorkforceTraces.Source.StartActivity("task.lease", ActivityKind.Internal, parent, links: links, startTime: startedAt);
            span?.SetTag("workforce.task.id", task.Id);
            span?.SetTag("workforce.task.attempt", task.Attempt);
            span?.SetTag("workforce.agent.id", agentId);
        }
    }

    private async Task<Outcome<IReadOnlyList<WorkTask>>> LeaseAsync(
        Caller caller, Guid agentId, LeaseRequest request, int waitSeconds, CancellationToken cancellationToken)
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

        if (CheckBatchSize("max", request.Max) is { } invalid)
        {
            return invalid;
        }

        // Spans are timed by the wall clock, as the Activity API times them, not by the domain clock.
        var startedAt = DateTimeOffset.UtcNow;
        var started = clock.GetTimestamp();
        var waitEnds = clock.GetUtcNow().AddSeconds(waitSeconds);
        while (true)
        {
            var signal = availability.NextSignal(caller.TenantId);
            var outcome = await store.TransactAsync(caller.TenantId, tx => AssignAsync(tx, agentId, request, clock.GetUtcNow()), cancellationToken);
            var remaining = waitEnds - clock.GetUtcNow();
            if (!outcome.Succeeded || outcome.Value!.Count > 0 || remaining <= TimeSpan.Zero)
            {
                Trace(startedAt, agentId, outcome.Value ?? []);
                meter?.RecordLeaseWait(clock.GetElapsedTime(started),
                    !outcome.Succeeded ? LeaseWaitOutcome.Refused : outcome.Value!.Count == 0 ? LeaseWaitOutcome.Empty : LeaseWaitOutcome.Leased);
                return outcome;
            }

            var wait = remaining < options.RecheckInterval ? remaining : options.RecheckInterval;
            await signal.WaitAsync(wait, clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async ValueTask<Outcome<IReadOnlyList<WorkTask>>> AssignAsync(ITenantTransaction tx, Guid agentId, LeaseRequest request, DateTimeOffset now)
    {
        if (await tx.FindAgentAsync(agentId) is not { } agent)
        {
            return Failure.NotFound($"Agent {agentId}");
        }

        if (agent.Status == AgentStatus.Offline)
        {
            return Failure.Conflict($"Agent {agentId} is offline; send a heartbeat to bring it back online before leasing.");
        }

        var freeSlots = agent.HasFreeSlot ? agent.Capacity - agent.ActiveTasks : 0;
        if (request.ExactMax && request.Max > freeSlots)
        {
            return InvalidSize("max", agent.Draining
                ? $"Agent {agentId} is draining and leases no tasks; max must be at most its 0 free slots."
                : $"max must be between 1 and the agent's free slots: it holds {agent.ActiveTasks} of {agent.Capacity}, so {freeSlots} are free, and max was {request.Max}.");
        }

        var wanted = Math.Min(request.Max, freeSlots);
        List<WorkTask> leased = [];
        if (wanted == 0 || (plans.Enforced && await ComputeUsedUpAsync(tx, now)))
        {
            return Outcome<IReadOnlyList<WorkTask>>.Success(leased);
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
                leased.Add(request.Start ? tx.Move(assigned, assigned.Start(now)) : assigned);
                agent = agent.TaskAssigned();
                if (leased.Count == wanted)
                {
                    break;
                }

                continue;
            }

            if (++scanned >= options.MaxTasksScanned)
            {
                break;
            }
        }

        if (leased.Count > 0)
        {
            tx.Update(agent);
        }

        return Outcome<IReadOnlyList<WorkTask>>.Success(leased);
    }

    /// <summary>A tenant out of compute minutes (or suspended) gets no new work: its tasks stay pending until the period resets.</summary>
    private async ValueTask<bool> ComputeUsedUpAsync(ITenantTransaction tx, DateTimeOffset now)
    {
        var subscription = await tx.FindSubscriptionAsync();
        var usage = await tx.FindUsageAsync(subscription.PeriodContaining(now).Start);
        return subscription.AdmitLease(subscription.PlanAt(now, plans), usage, now) is not null;
    }

    private static Failure InvalidSize(string field, string message) =>
        new(FailureKind.Invalid, message) { Errors = new Dictionary<string, string[]> { [field] = [message] } };

    /// <param name="ExactMax">Refuse a <paramref name="Max"/> above the agent's free slots, rather than lease fewer.</param>
    private sealed record LeaseRequest(int Max, bool Start, bool ExactMax);
}
