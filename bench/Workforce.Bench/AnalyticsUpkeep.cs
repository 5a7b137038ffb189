using System.Diagnostics;
using Workforce.Core.Analytics;
using Workforce.Core.Tasks;

namespace Workforce.Bench;

/// <summary>
/// What analytics upkeep costs one task, measured where it runs: the recorder observing the four transitions of the
/// end-to-end flow (submit, lease, start, complete), and the flush turning what it counted into batches (everything
/// but the store's write, which happens once per tenant every flush interval). End-to-end throughput is too noisy
/// on this machine to see a cost of a few percent; CPU time per task is not.
/// </summary>
internal static class AnalyticsUpkeep
{
    private const int Tenants = 10;
    private const int TasksPerRound = 100_000;
    private static readonly string[] Types = ["email", "resize", "classify", "translate", "summarise"];

    public static ScenarioResult Measure(BenchOptions options)
    {
        var recorder = new AnalyticsRecorder(new AnalyticsOptions());
        var flows = Flows();
        var sequence = 0L;
        string NextId() => (++sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var window = Stopwatch.StartNew();
        var tasks = 0L;
        var cpu = TimeSpan.Zero;
        while (window.Elapsed < options.Warmup + options.Duration)
        {
            var measuring = window.Elapsed >= options.Warmup;
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            foreach (var flow in flows)
            {
                foreach (var transition in flow)
                {
                    // One commit publishes one transition in this flow, as the agent's calls do.
                    recorder.OnCommitted([transition]);
                }
            }

            foreach (var batch in recorder.Drain(NextId))
            {
                foreach (var rollup in batch.Rollups)
                {
                    _ = rollup.Values.ToJson();
                }
            }

            if (measuring)
            {
                cpu += Process.GetCurrentProcess().TotalProcessorTime - before;
                tasks += flows.Length;
            }
        }

        var microsecondsPerTask = cpu.TotalMicroseconds / tasks;
        Console.Error.WriteLine($"  analytics  {tasks:N0} tasks recorded, {microsecondsPerTask:0.00} µs of CPU each");
        return new ScenarioResult("Analytics upkeep", "recorder + flush per task (4 transitions), in process", 1_000_000 / microsecondsPerTask, double.NaN, double.NaN,
            $"{microsecondsPerTask:0.00} µs CPU per task; {Tenants} tenants, {Types.Length} types, 4 priorities, a flush every {TasksPerRound:N0} tasks");
    }

    /// <summary>The transitions of many tasks at 10,000 tasks/s of simulated time, so they fill minutes as real ones do.</summary>
    private static TaskTransition[][] Flows()
    {
        var start = DateTimeOffset.UtcNow;
        var agent = Guid.NewGuid();
        return [.. Enumerable.Range(0, TasksPerRound).Select(i =>
        {
            var at = start + TimeSpan.FromMilliseconds(i / 10.0);
            var tenant = $"tenant-{i % Tenants}";
            var task = Guid.NewGuid();
            var type = Types[i % Types.Length];
            var priority = (TaskPriority)(i % 4);
            TaskTransition Make(int revision, TaskState? from, TaskState to, Guid? agentId, double inStateMs) =>
                new(tenant, task, revision, from, to, at, agentId, revision > 1 ? 1 : 0, null)
                {
                    Type = type,
                    Priority = priority,
                    InStateFor = from is null ? null : TimeSpan.FromMilliseconds(inStateMs),
                };
            return new[]
            {
                Make(1, null, TaskState.Pending, null, 0),
                Make(2, TaskState.Pending, TaskState.Assigned, agent, 3),
                Make(3, TaskState.Assigned, TaskState.Running, agent, 1),
                Make(4, TaskState.Running, TaskState.Completed, agent, 40),
            };
        })];
    }
}
