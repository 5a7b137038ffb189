using System.Diagnostics;
using System.Diagnostics.Metrics;
using Workforce.Core.Tasks;

namespace Workforce.Core.Metrics;

/// <summary>
/// The platform's own instruments, on the <see cref="Name"/> meter that a host exports (Prometheus on the standalone
/// server). Task counts and latencies come from the change feed as transitions commit, so a scrape costs no store
/// query; the levels (pending tasks, agents, queue depth) are read from the last <see cref="PlatformLevels"/> sample.
/// Tenant ids are never tags: a platform with thousands of tenants would make thousands of series per instrument.
/// </summary>
public sealed class WorkforceMeter : ITaskObserver, IDisposable
{
    public const string Name = "Workforce";

    // Bucket bounds in seconds. 0.2 s is a bound because the schedule-to-start alert fires above 200 ms.
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
    private static readonly double[] RunTimeBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

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
        _scheduleToStart = _meter.CreateHistogram("workforce.task.schedule_to_start.duration", "s",
            "Time a task waited as pending, from when it could be leased until an agent leased it",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _runTime = _meter.CreateHistogram("workforce.task.run.duration", "s",
            "Time an attempt ran, from start until it completed, failed, timed out or was cancelled",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RunTimeBuckets });

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

    private static KeyValuePair<string, object?> QueueTag(string queue) => new("queue", queue);

    public void Dispose() => _meter.Dispose();
}
