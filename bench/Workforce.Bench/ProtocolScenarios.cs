using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Workforce.Bench;

/// <summary>
/// The protocol of fewer round trips under load: agents that lease and start several tasks at once and complete each
/// with the next one leased and started in the same request, fed by batch submissions; and batch submissions alone.
/// </summary>
internal sealed class ProtocolScenarios(BenchOptions options, Uri server, string tenantKey, Func<TimeSpan> serverCpu)
{
    private const int Backlog = 4_000;
    private const int AgentCapacity = 8;
    private const int FeedBatch = 100;
    private const int SubmitBatch = 500;
    private static readonly byte[] CompleteBody = Encoding.UTF8.GetBytes("""{"result":{"ok":true}}""");

    /// <summary>50 agents (by default) each holding up to 8 tasks: lease?max&amp;start=true, then complete?next=1&amp;start=true per task.</summary>
    public async Task<ScenarioResult> EfficientEndToEndAsync()
    {
        var window = new Window(options.Warmup, options.Duration);
        var agents = await BenchAgents.RegisterAsync(server, tenantKey, options.Agents, AgentCapacity);
        var completed = 0L;
        var finished = 0L;
        var submitted = 0L;
        var requests = 0L;
        using var progress = Window.Progress("e2e-efficient", () => Interlocked.Read(ref completed), window);
        using var cpu = new CpuProbe(window, serverCpu);
        var feedBody = BatchBody(FeedBatch);
        var submitters = Enumerable.Range(0, Math.Max(1, options.Submitters / 4)).Select(_ => Task.Run(async () =>
        {
            using var connection = await RawHttpConnection.OpenAsync(server);
            while (!window.IsOver)
            {
                if (Interlocked.Read(ref submitted) - Interlocked.Read(ref finished) >= Backlog)
                {
                    await Task.Delay(1);
                    continue;
                }

                if ((await connection.SendAsync("POST", "/api/v1/tasks/batch", tenantKey, feedBody)).Status == 202)
                {
                    Interlocked.Add(ref submitted, FeedBatch);
                }
            }
        }));
        var workers = agents.Select(agent => Task.Run(async () =>
        {
            using var connection = await RawHttpConnection.OpenAsync(server);
            var held = new Queue<Guid>();
            while (!window.IsOver)
            {
                var started = Stopwatch.GetTimestamp();
                if (held.Count == 0)
                {
                    var lease = await connection.SendAsync("POST", $"/api/v1/agents/{agent.Id}/lease?max={AgentCapacity}&start=true&waitSeconds=1", agent.Key);
                    Count(ref requests, window);
                    if (lease.Status == 200)
                    {
                        Enqueue(held, lease.Body, "items");
                    }

                    continue;
                }

                var id = held.Dequeue();
                var complete = await connection.SendAsync("POST", $"/api/v1/tasks/{id}/complete?next=1&start=true", agent.Key, CompleteBody);
                Count(ref requests, window);
                Interlocked.Increment(ref finished);
                if (complete.Status != 200)
                {
                    continue;
                }

                Enqueue(held, complete.Body, "next");
                if (window.Contains(started, Stopwatch.GetTimestamp()))
                {
                    Interlocked.Increment(ref completed);
                }
            }
        }));
        await Task.WhenAll(submitters.Concat(workers));
        var cpuPerTask = cpu.PerTask(completed);
        var seconds = options.Duration.TotalSeconds;
        var notes = $"{options.Agents} agents × capacity {AgentCapacity}, batch submitters of {FeedBatch}, backlog ≤ {Backlog:N0}; " +
            $"{requests / Math.Max(1.0, completed):0.00} agent requests/task; {cpuPerTask}";
        return new("End-to-end tasks, efficient protocol", "batch submit → lease?max&start → complete?next&start", completed / seconds, double.NaN, double.NaN, notes)
        {
            ServerCpuMsPerTask = cpuPerTask.ServerMs,
            BenchCpuMsPerTask = cpuPerTask.BenchMs,
        };
    }

    /// <summary>Closed loop: each connection submits batches of 500 tasks; counts the tasks accepted in the window.</summary>
    public async Task<ScenarioResult> BatchSubmitAsync()
    {
        var window = new Window(options.Warmup, options.Duration);
        var accepted = 0L;
        var latencies = new Latencies();
        var body = BatchBody(SubmitBatch);
        using var progress = Window.Progress("batch-submit", () => Interlocked.Read(ref accepted), window);
        var connections = Math.Max(1, options.Concurrency / 8);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            using var connection = await RawHttpConnection.OpenAsync(server);
            while (!window.IsOver)
            {
                var started = Stopwatch.GetTimestamp();
                var response = await connection.SendAsync("POST", "/api/v1/tasks/batch", tenantKey, body);
                if (response.Status == 202 && window.Contains(started, Stopwatch.GetTimestamp()))
                {
                    Interlocked.Add(ref accepted, CountAccepted(response.Body));
                    latencies.Add(Stopwatch.GetElapsedTime(started));
                }
            }
        })));
        return new("Batch submissions", $"POST /api/v1/tasks/batch ({SubmitBatch} tasks) → 202, tasks/s", accepted / options.Duration.TotalSeconds,
            latencies.Percentile(50), latencies.Percentile(99), $"{connections} connections; latency per batch request");
    }

    private static byte[] BatchBody(int size) =>
        Encoding.UTF8.GetBytes("{\"tasks\":[" + string.Join(',', Enumerable.Repeat("""{"type":"bench","priority":"medium","payload":{"n":1}}""", size)) + "]}");

    private static void Count(ref long counter, Window window)
    {
        if (window.IsMeasuring)
        {
            Interlocked.Increment(ref counter);
        }
    }

    private static void Enqueue(Queue<Guid> held, ReadOnlyMemory<byte> body, string property)
    {
        using var document = JsonDocument.Parse(body);
        foreach (var task in document.RootElement.GetProperty(property).EnumerateArray())
        {
            held.Enqueue(task.GetProperty("id").GetGuid());
        }
    }

    private static long CountAccepted(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("items").EnumerateArray().LongCount(item => item.GetProperty("status").GetInt32() == 202);
    }
}
