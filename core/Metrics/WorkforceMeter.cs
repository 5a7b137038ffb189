using System.Diagnostics;
using System.Diagnostics.Metrics;
using Workforce.Core.Tasks;

namespace Workforce.Core.Metrics;

/// <summary>
/// The platform's own instruments, on the <see cref="Name"/> meter that a host exports (Prometheus on the standalone
/// server). Task counts and latencies come from the change feed as transitions commit, so a scrape costs no store
/// query; the levels (pending tasks, agents, queue depth) are read from the last <see cref="PlatformLevels"/> sample.
/// Tenant ids are not tags (a platform with thousands of tenants would make thousands of series per instrument), but
/// for the per-tenant quota gauges, which stay empty unless the host turns them on.
/// </summary>
public sealed class WorkforceMeter : ITaskObserver, IDisposable
{
    public const string Name = "Workforce";

    /// <summary>
    /// The gauges read from the <see cref="PlatformLevels"/> sample, which only a host that samples the levels
    /// (the standalone server) reports; the Functions app drops them.
    /// </summary>
    public static IReadOnlySet<string> LevelInstruments { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "workforce.tasks.pending", "workforce.tasks.active", "workforce.agents", "workforce.agent.slots.used", "workforce.agent.slots.capacity",
        "workforce.queue.depth", "workforce.queue.scheduled", "workforce.queue.dead_letters", "workforce.levels.age",
        "workforce.tenant.quota.remaining", "workforce.tenant.quota.limit",
    };

    // Bucket bounds in seconds. 0.2 s is a bound because the schedule-to-start alert fires above 200 ms.
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
    private static readonly double[] RunTimeBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

    // A lease long-polls for at most 30 s (LeaseOptions.MaxWaitSeconds), so the last bound is the longest wait.
    private static readonly double[] LeaseWaitBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30];
    private static readonly double[] CommitBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly long[] BatchSizeBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

    private static readonly Dictionary<TaskPriority, KeyValuePair<string, object?>> PriorityTags =
        TaskPriorities.All.ToDictionary(priority => priority, priority => new KeyValuePair<string, object?>("priority", TaskPriorities.Name(priority)));

    private readonly Meter _meter;
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _leased;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _cancelled;
    private readonly Histogram<double> _scheduleToStart;
    private readonly Histogram<double> _runTime;
    private readonly Histogram<double> _leaseWait;
    private readonly Histogram<double> _storeCommit;
    private readonly Histogram<long> _batchSize;

    public WorkforceMeter(PlatformLevels levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        _meter = new Meter(Name);
        _submitted = _meter.CreateCounter<long>("workforce.tasks.submitted", "{task}", "Tasks accepted, by priority");
        _leased = _meter.CreateCounter<long>("workforce.tasks.leased", "{task}", "Tasks handed to an agent (each attempt counts), by priority");
        _completed = _meter.CreateCounter<long>("workforce.tasks.completed", "{task}", "Tasks that completed, by priority");
        _failed = _meter.CreateCounter<long>("workforce.tasks.failed", "{task}", "Tasks that failed for good (retries exhausted or not retryable), by priority");
        _retried = _meter.CreateCounter<long>("workforce.tasks.retried", "{task}", "Attempts that ended and put the task back to pending for another attempt, by priority");
        _cancelled = _meter.CreateCounter<long>("workforce.tasks.cancelled", "{task}", "Tasks cancelled, by priority");
        _scheduleToStart = Seconds("workforce.task.schedule_to_start.duration", "Time a task waited as pending, from when it could be leased until an agent leased it",
            LatencyBuckets);
        _runTime = Seconds("workforce.task.run.duration", "Time an attempt ran, from start until it completed, failed, timed out or was cancelled",
            RunTimeBuckets);
        _leaseWait = Seconds("workforce.lease.wait.duration", "Time a lease request took, long-poll included, until it got a task (leased), gave up empty (empty) or was refused (refused)",
            LeaseWaitBuckets);
        _storeCommit = Seconds("workforce.store.commit.duration", "Time a store transaction took until its commit was durable (SQLite: the group-commit wait included; Azure Tables: conflict re-runs included), by store and outcome",
            CommitBuckets);
        _batchSize = _meter.CreateHistogram("workforce.batch.size", "{item}",
            "Items written together in one batch, by what is batched: sqlite_commit (store writes per group commit), audit (entries per write), api_calls (calls per tenant batch), analytics (batches per flush)",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchSizeBuckets });

        _meter.CreateObservableGauge("workforce.tasks.pending", () => levels.Current.Pending.Select(pending =>
            new Measurement<long>(pending.Value, PriorityTags[pending.Key])), "{task}", "Tasks waiting for an agent, by priority");
        _meter.CreateObservableGauge("workforce.tasks.active", () => new[]
        {
            new Measurement<long>(levels.Current.Assigned, new KeyValuePair<string, object?>("state", "assigned")),
            new Measurement<long>(levels.Current.Running, new KeyValuePair<string, object?>("state", "running")),
        }, "{task}", "Tasks an agent holds, by state");
        _meter.CreateObservableGauge("workforce.agents", () => levels.Current.Agents.Select(agents =>
            new Measurement<long>(agents.Value, new KeyValuePair<string, object?>("status", agents.Key.ToString().ToLowerInvariant()))),
            "{agent}", "Registered agents, by status");
        _meter.CreateObservableGauge("workforce.agent.slots.used", () => levels.Current.SlotsUsed, "{slot}", "Tasks held by agents that are not offline");
        _meter.CreateObservableGauge("workforce.agent.slots.capacity", () => levels.Current.SlotsCapacity, "{slot}", "Capacity of the agents that are not offline");
        _meter.CreateObservableGauge("workforce.queue.depth", () => levels.Current.Queues.Select(queue =>
            new Measurement<long>(queue.Active, QueueTag(queue.Queue))), "{message}", "Messages ready to be received, per work queue");
        _meter.CreateObservableGauge("workforce.queue.scheduled", () => levels.Current.Queues.Select(queue =>
            new Measurement<long>(queue.Scheduled, QueueTag(queue.Queue))), "{message}", "Messages scheduled for later, per work queue");
        _meter.CreateObservableGauge("workforce.queue.dead_letters", () => levels.Current.Queues.Select(queue =>
            new Measurement<long>(queue.DeadLettered, QueueTag(queue.Queue))), "{message}", "Messages in the dead-letter sub-queue, per work queue");
        // Empty unless the host samples per-tenant quotas (off by default): only then do series carry tenant ids.
        _meter.CreateObservableGauge("workforce.tenant.quota.remaining", () => levels.Current.Quotas.Select(quota =>
            new Measurement<long>(quota.Remaining, TenantTag(quota), QuotaTag(quota))), "{quantity}",
            "What a tenant has left of a limited quota this billing period, in the quota's unit; only with per-tenant quotas on");
        _meter.CreateObservableGauge("workforce.tenant.quota.limit", () => levels.Current.Quotas.Select(quota =>
            new Measurement<long>(quota.Limit, TenantTag(quota), QuotaTag(quota))), "{quantity}",
            "A tenant's limit of a quota this billing period, in the quota's unit; only with per-tenant quotas on");
        _meter.CreateObservableGauge("workforce.levels.age", () => levels.AgeSeconds(), "s",
            "Seconds since the levels above were last sampled; grows when sampling fails");
    }

    public void OnCommitted(IReadOnlyList<TaskTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        foreach (var transition in transitions)
        {
            Record(transition);
        }
    }

    private void Record(TaskTransition transition)
    {
        var priority = PriorityTags[transition.Priority];
        switch (transition.From, transition.To)
        {
            case (null, _):
                _submitted.Add(1, priority);
                break;
            case (TaskState.Pending, TaskState.Assigned):
                _leased.Add(1, priority);
                if (transition.InStateFor is { } waited)
                {
                    _scheduleToStart.Record(waited.TotalSeconds, priority);
                }

                break;
        }

        if (transition.From == TaskState.Running && transition.InStateFor is { } ran)
        {
            _runTime.Record(ran.TotalSeconds, priority);
        }

        switch (transition.To)
        {
            case TaskState.Completed:
                _completed.Add(1, priority);
                break;
            case TaskState.Failed:
                _failed.Add(1, priority);
                break;
            case TaskState.Cancelled:
                _cancelled.Add(1, priority);
                break;
            case TaskState.Pending when transition.From?.HoldsAgent() == true:
                _retried.Add(1, priority);
                break;
        }
    }

    private Histogram<double> Seconds(string name, string description, double[] buckets) =>
        _meter.CreateHistogram(name, "s", description, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets });

    /// <summary>One lease request ended after <paramref name="waited"/>, long-poll included.</summary>
    public void RecordLeaseWait(TimeSpan waited, LeaseWaitOutcome outcome) =>
        _leaseWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome switch
        {
            LeaseWaitOutcome.Leased => "leased",
            LeaseWaitOutcome.Empty => "empty",
            _ => "refused",
        }));

    /// <summary>One store transaction ended after <paramref name="elapsed"/>; <paramref name="store"/> is OpenTelemetry's <c>db.system.name</c>.</summary>
    public void RecordStoreCommit(string store, TimeSpan elapsed, bool committed) =>
        _storeCommit.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("db.system.name", store),
            new KeyValuePair<string, object?>("outcome", committed ? "committed" : "failed"));

    /// <summary>One batch of <paramref name="size"/> items was written; <paramref name="batch"/> is one of <see cref="Batches"/>.</summary>
    public void RecordBatch(string batch, int size) => _batchSize.Record(size, new KeyValuePair<string, object?>("batch", batch));

    private static KeyValuePair<string, object?> QueueTag(string queue) => new("queue", queue);

    private static KeyValuePair<string, object?> TenantTag(TenantQuota quota) => new("tenant", quota.TenantId);

    private static KeyValuePair<string, object?> QuotaTag(TenantQuota quota) => new("quota", quota.Label);

    public void Dispose() => _meter.Dispose();
}

/// <summary>How a lease request ended, the <c>outcome</c> of <c>workforce.lease.wait.duration</c>.</summary>
public enum LeaseWaitOutcome
{
    /// <summary>The agent got a task.</summary>
    Leased,

    /// <summary>No task turned up within the wait (or the agent had no free slot or compute left).</summary>
    Empty,

    /// <summary>The request was refused: unknown or offline agent, not the caller's agent.</summary>
    Refused,
}

/// <summary>The <c>batch</c> label values of <c>workforce.batch.size</c>: every place that writes items together.</summary>
public static class Batches
{
    /// <summary>Store writes that shared one SQLite transaction and one fsync in the group-commit writer.</summary>
    public const string SqliteCommit = "sqlite_commit";

    /// <summary>Audit entries written in one append.</summary>
    public const string Audit = "audit";

    /// <summary>API calls of one tenant written as one usage batch.</summary>
    public const string ApiCalls = "api_calls";

    /// <summary>Analytics batches (one per tenant, plus the server's) written by one flush.</summary>
    public const string Analytics = "analytics";
}
