using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Workforce.Testing.Realtime;

namespace Workforce.Bench;

/// <summary>One measured figure of a scenario.</summary>
internal sealed record ScenarioResult(string Scenario, string Measure, double PerSecond, double P50Ms, double P99Ms, string Notes)
{
    /// <summary>The server's CPU time per completed task in the measured window, where the scenario counts tasks.</summary>
    public double ServerCpuMsPerTask { get; init; } = double.NaN;

    /// <summary>This process's CPU time per completed task (agents and submitters together), where the scenario counts tasks.</summary>
    public double BenchCpuMsPerTask { get; init; } = double.NaN;
}

/// <summary>
/// The load shapes. Closed-loop scenarios keep one request in flight per connection and count what completes inside
/// the measured window; the latency scenario is open-loop at a fixed rate and measures from each request's intended
/// start, so a slow server cannot hide its queueing (no coordinated omission).
/// </summary>
internal sealed partial class LoadScenarios(BenchOptions options, Uri server, string tenantKey, Func<TimeSpan> serverCpu, Func<long> serverMemory)
{
    private static readonly string[] Priorities = ["low", "medium", "high", "critical"];
    private static readonly byte[][] BacklogBodies = [.. Enumerable.Range(0, 16).Select(i =>
        Encoding.UTF8.GetBytes($$$"""{"type":"bench","priority":"{{{Priorities[i % 4]}}}","requiredCapabilities":["cap-{{{i / 4}}}"],"payload":{"n":1}}"""))];

    private const int Backlog = 2_000;
    private const int MeasuringClients = 10;
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);
    private static readonly byte[] HeartbeatBody = Encoding.UTF8.GetBytes("""{"cpuPercent":12.5,"memoryMb":256,"threadCount":8}""");
    private static readonly byte[] SubmitBody = Encoding.UTF8.GetBytes("""{"type":"bench","priority":"medium","payload":{"n":1}}""");
    private static readonly byte[] CompleteBody = Encoding.UTF8.GetBytes("""{"result":{"ok":true}}""");

    public async Task<ScenarioResult> NoopAsync()
    {
        var latencies = new Latencies();
        var count = await ClosedLoopAsync("noop", options.Concurrency, latencies, async connection =>
            (await connection.SendAsync("GET", "/api/health", apiKey: null)).Status == 200);
        return new("No-op ceiling", "GET /api/health", count / options.Duration.TotalSeconds, latencies.Percentile(50), latencies.Percentile(99),
            $"{options.Concurrency} connections");
    }

    public async Task<ScenarioResult> SubmitAsync()
    {
        var latencies = new Latencies();
        var count = await ClosedLoopAsync("submit", options.Concurrency, latencies, async connection =>
            (await connection.SendAsync("POST", "/api/v1/tasks", tenantKey, SubmitBody)).Status == 202);
        return new("Durable submissions", "POST /api/v1/tasks → 202", count / options.Duration.TotalSeconds, latencies.Percentile(50), latencies.Percentile(99),
            $"{options.Concurrency} connections");
    }

    public Task<(ScenarioResult Tasks, ScenarioResult Lease)> EndToEndAsync() => EndToEndAsync(new Window(options.Warmup, options.Duration));

    /// <summary>
    /// The scale scenario: <see cref="BenchOptions.BacklogTasks"/> pending tasks of one tenant, spread over four
    /// priorities and four required capabilities (submitted as fast as the server takes them), then the submit load
    /// and the end-to-end load against that queue, with agents that each have two of the four capabilities (so
    /// leases skip tasks they cannot serve). The backlog barely moves while it is measured (the agents drain a few
    /// percent of it), so the figures are those of a queue of that size.
    /// </summary>
    public async Task<IReadOnlyList<ScenarioResult>> BacklogAsync()
    {
        var memoryBefore = serverMemory();
        var seeding = Stopwatch.StartNew();
        var claimed = 0L;
        using (Window.Progress("seed", () => Interlocked.Read(ref claimed), new Window(TimeSpan.Zero, TimeSpan.FromHours(1))))
        {
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
            {
                using var connection = await RawHttpConnection.OpenAsync(server);
                for (var n = Interlocked.Increment(ref claimed); n <= options.BacklogTasks; n = Interlocked.Increment(ref claimed))
                {
                    var response = await connection.SendAsync("POST", "/api/v1/tasks", tenantKey, BacklogBodies[n % BacklogBodies.Length]);
                    if (response.Status != 202)
                    {
                        throw new InvalidOperationException($"Seeding answered {response.Status}: {Encoding.UTF8.GetString(response.Body.Span)}");
                    }
                }
            })));
        }

        seeding.Stop();
        var memorySeeded = serverMemory();
        var seedNotes = $"{options.BacklogTasks:N0} pending seeded in {seeding.Elapsed.TotalSeconds:0} s ({options.BacklogTasks / seeding.Elapsed.TotalSeconds:N0}/s); " +
            $"server working set {memoryBefore / 1048576.0:N0} MB before, {memorySeeded / 1048576.0:N0} MB seeded";
        var submit = await SubmitAsync();
        var (tasks, lease) = await EndToEndAsync(new Window(options.Warmup, options.Duration), agent => agent % 2 == 0 ? ["cap-0", "cap-1"] : ["cap-2", "cap-3"]);
        var memoryAfter = serverMemory();
        var notes = $"{seedNotes}, {memoryAfter / 1048576.0:N0} MB at the end";
        return
        [
            submit with { Scenario = "Durable submissions, backlog", Notes = $"{submit.Notes}; {notes}" },
            tasks with { Scenario = "End-to-end tasks, backlog", Notes = $"{tasks.Notes}; agents with 2 of 4 capabilities" },
            lease with { Scenario = "Lease latency, backlog" },
        ];
    }

    /// <summary>
    /// The end-to-end load with dashboards watching: <see cref="BenchOptions.Clients"/> hub connections of the tenant,
    /// each receiving every event. The server sends every client the same batches, so delays are measured on
    /// <see cref="MeasuringClients"/> of them, which parse everything; the others read every byte and only count
    /// records, so that the load generator does not take the server's CPU parsing JSON a browser would parse on
    /// another machine. The delay of a task update is its receipt time minus the task's <c>updatedAt</c> (server
    /// and clients share this machine's clock), so it includes the coalescing wait.
    /// </summary>
    public async Task<(ScenarioResult Tasks, ScenarioResult Delay)> EndToEndWithDashboardsAsync()
    {
        var clients = new List<HubClient>();
        for (var i = 0; i < options.Clients; i++)
        {
            clients.Add(await HubClient.ConnectAsync(server, "/api/hubs/workforce", HubCredential.Key(tenantKey), parse: i < MeasuringClients));
        }

        var window = new Window(options.Warmup, options.Duration);
        var delays = new Latencies();
        var listeners = clients.Select(client => Task.Run(async () =>
        {
            await foreach (var invocation in client.Invocations.ReadAllAsync())
            {
                if (!window.IsMeasuring)
                {
                    continue;
                }

                if (invocation.Target == "taskUpdated")
                {
                    foreach (var task in invocation.Argument.EnumerateArray())
                    {
                        delays.Add(invocation.ReceivedAt - task.GetProperty("updatedAt").GetDateTimeOffset());
                    }
                }
            }
        })).ToList();

        long? recordsAtStart = null;
        using var counting = new Timer(_ => recordsAtStart ??= window.IsMeasuring ? clients.Sum(c => c.ReceivedRecords) : null, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
        var (tasks, _) = await EndToEndAsync(window);
        var records = clients.Sum(c => c.ReceivedRecords) - (recordsAtStart ?? 0);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await Task.WhenAll(listeners);
        var seconds = options.Duration.TotalSeconds;
        var notes = $"{options.Clients} hub clients; {tasks.Notes}";
        return (tasks with { Scenario = "End-to-end with dashboards", Notes = notes },
                new("Event delay", "task state change → taskUpdated received", delays.Count / seconds, delays.Percentile(50), delays.Percentile(99),
                    $"per second: task updates received per measuring client × {MeasuringClients}; {records / seconds:N0} messages/s to all {options.Clients} clients"));
    }

    /// <summary>
    /// The end-to-end load while the tenant has one webhook endpoint, subscribed to <paramref name="eventType"/>,
    /// pointing at a <see cref="WebhookSink"/> on loopback. With task.completed (opt-in) every completion raises an
    /// event in its transaction that goes through the outbox queue, the fan-out and a delivery workflow to a signed
    /// POST; with task.failed nothing is raised, as no task fails here, which shows what having notifications
    /// configured costs by itself. The endpoint is created before the warm-up: the server raises task.completed
    /// from the moment it knows of it, and the deliveries' own warm-up belongs to the warm-up too.
    /// </summary>
    public async Task<(ScenarioResult Tasks, ScenarioResult Deliveries)> EndToEndWithWebhookAsync(string eventType)
    {
        await using var sink = await WebhookSink.StartAsync();
        using (var setup = await RawHttpConnection.OpenAsync(server))
        {
            var endpoint = Encoding.UTF8.GetBytes($$"""{"channel":"webhook","target":"{{sink.Url.AbsoluteUri}}","events":["{{eventType}}"]}""");
            var created = await setup.SendAsync("POST", "/api/v1/notifications/endpoints", tenantKey, endpoint);
            if (created.Status != 201)
            {
                throw new InvalidOperationException($"Creating the webhook endpoint answered {created.Status}: {Encoding.UTF8.GetString(created.Body.Span)}");
            }
        }

        var window = new Window(options.Warmup, options.Duration);
        var (tasks, _) = await EndToEndAsync(window);
        var delays = sink.ReceivedWithin(window);
        var seconds = options.Duration.TotalSeconds;
        var delivered = delays.Count / seconds;
        var notes = $"endpoint for {eventType}; {delivered:N0} deliveries/s ({delivered / Math.Max(1, tasks.PerSecond):P0} of tasks/s); {tasks.Notes}";
        return (tasks with { Notes = notes },
                new("Webhook deliveries", $"{eventType} → signed POST received (delay from the event's timestamp)", delivered, delays.Percentile(50), delays.Percentile(99),
                    $"receipts in the window; {tasks.PerSecond:N0} tasks/s completed in it"));
    }

    private async Task<(ScenarioResult Tasks, ScenarioResult Lease)> EndToEndAsync(Window window, Func<int, string[]>? capabilities = null)
    {
        var agents = await BenchAgents.RegisterAsync(server, tenantKey, options.Agents, capacity: 1, capabilities);
        var leaseLatencies = new Latencies();
        var completed = 0L;
        var finished = 0L;
        var emptyLeases = 0L;
        using var progress = Window.Progress("e2e", () => Interlocked.Read(ref completed), window);
        using var cpu = new CpuProbe(window, serverCpu);
        var submitters = KeepBacklogAsync(window, () => Interlocked.Read(ref finished));
        var workers = agents.Select(agent => Task.Run(async () =>
        {
            using var connection = await RawHttpConnection.OpenAsync(server);
            while (!window.IsOver)
            {
                var started = Stopwatch.GetTimestamp();
                var lease = await connection.SendAsync("POST", $"/api/v1/agents/{agent.Id}/lease?waitSeconds=1", agent.Key);
                if (lease.Status != 200)
                {
                    if (window.Contains(started, Stopwatch.GetTimestamp()))
                    {
                        Interlocked.Increment(ref emptyLeases);
                    }

                    continue;
                }

                var leaseTime = Stopwatch.GetElapsedTime(started);
                using var task = JsonDocument.Parse(lease.Body);
                var id = task.RootElement.GetProperty("id").GetGuid();
                await connection.SendAsync("POST", $"/api/v1/tasks/{id}/start", agent.Key);
                var complete = await connection.SendAsync("POST", $"/api/v1/tasks/{id}/complete", agent.Key, CompleteBody);
                Interlocked.Increment(ref finished);
                if (complete.Status == 200 && window.Contains(started, Stopwatch.GetTimestamp()))
                {
                    Interlocked.Increment(ref completed);
                    leaseLatencies.Add(leaseTime);
                }
            }
        }));
        await Task.WhenAll(workers.Append(submitters));
        var cpuPerTask = cpu.PerTask(completed);

        var tasksPerSecond = completed / options.Duration.TotalSeconds;
        var notes = $"{options.Agents} agents, {options.Submitters} submitters, backlog ≤ {Backlog:N0}; {cpuPerTask}; " +
            $"{emptyLeases / options.Duration.TotalSeconds:N0} empty leases/s";
        return (new("End-to-end tasks", "submit → lease → start → complete", tasksPerSecond, double.NaN, double.NaN, notes) { ServerCpuMsPerTask = cpuPerTask.ServerMs, BenchCpuMsPerTask = cpuPerTask.BenchMs },
                new("Lease latency", "POST /agents/{id}/lease → 200, under e2e load", tasksPerSecond, leaseLatencies.Percentile(50), leaseLatencies.Percentile(99), notes));
    }

    /// <summary>
    /// <see cref="BenchOptions.Submitters"/> submitters keep a bounded backlog ahead of the agents (submitted minus
    /// <paramref name="finished"/>), as a real producer would, instead of hammering a full queue with requests that
    /// are refused; they stop when the window is over.
    /// </summary>
    private Task KeepBacklogAsync(Window window, Func<long> finished)
    {
        var submitted = 0L;
        return Task.WhenAll(Enumerable.Range(0, options.Submitters).Select(_ => Task.Run(async () =>
        {
            using var connection = await RawHttpConnection.OpenAsync(server);
            while (!window.IsOver)
            {
                if (Interlocked.Read(ref submitted) - finished() >= Backlog)
                {
                    await Task.Delay(1);
                    continue;
                }

                if ((await connection.SendAsync("POST", "/api/v1/tasks", tenantKey, SubmitBody)).Status == 202)
                {
                    Interlocked.Increment(ref submitted);
                }
            }
        })));
    }

    /// <summary>
    /// Submissions open loop at <see cref="BenchOptions.Rate"/> and, beside them, leases open loop at
    /// <see cref="BenchOptions.LeaseRate"/>: each takes an idle agent of 100 (capacity 1), leases and starts one task,
    /// and completes it; the lease's latency runs from its intended send time to its answer.
    /// </summary>
    public async Task<IReadOnlyList<ScenarioResult>> LatencyAtRateAsync()
    {
        var agents = new ConcurrentQueue<(Guid Id, string Key)>(await BenchAgents.RegisterAsync(server, tenantKey, count: 100, capacity: 1));
        // A cold server is slower than the rate for its first seconds; an open loop would pile up a backlog that
        // takes the whole run to drain. Warm it with a closed loop first, which also leaves the leases a backlog.
        await ClosedLoopAsync("warm-up", options.Concurrency, new Latencies(), new Window(options.Warmup, TimeSpan.Zero), async connection =>
            (await connection.SendAsync("POST", "/api/v1/tasks", tenantKey, SubmitBody)).Status == 202);
        var submits = new Latencies();
        var leases = new Latencies();
        // The leases' path (and the lifecycle workflows they start) is cold after the closed loop: run both open
        // loops through a warm-up of their own before measuring, or the first seconds of compiling it are the p99.
        var window = new Window(options.Warmup, options.Duration);
        using var progress = Window.Progress("latency", () => submits.Count, window);
        var noAgentFree = 0L;
        var sent = OpenLoopAsync(options.Rate, window, async (connection, _) =>
            Answered((await connection.SendAsync("POST", "/api/v1/tasks", tenantKey, SubmitBody)).Status == 202), submits);
        var leased = options.LeaseRate <= 0 ? Task.FromResult(0L) : OpenLoopAsync(options.LeaseRate, window, async (connection, _) =>
        {
            if (!agents.TryDequeue(out var agent))
            {
                Interlocked.Increment(ref noAgentFree);
                return null;
            }

            try
            {
                var lease = await connection.SendAsync("POST", $"/api/v1/agents/{agent.Id}/lease?max=1&start=true", agent.Key);
                var answered = Stopwatch.GetTimestamp();
                if (lease.Status != 200)
                {
                    return null;
                }

                using var items = JsonDocument.Parse(lease.Body);
                var taskId = items.RootElement.GetProperty("items")[0].GetProperty("id").GetGuid();
                return (await connection.SendAsync("POST", $"/api/v1/tasks/{taskId}/complete", agent.Key, CompleteBody)).Status == 200 ? answered : null;
            }
            finally
            {
                agents.Enqueue(agent);
            }
        }, leases);

        var (submitsSent, leasesSent) = (await sent, await leased);
        return
        [
            new($"Submit latency at {options.Rate:N0}/s", "open loop, from intended send time", submits.Count / options.Duration.TotalSeconds,
                submits.Percentile(50), submits.Percentile(99), $"{submitsSent:N0} sent in all; {options.LeaseRate:N0} leases/s beside them"),
            new($"Lease latency at {options.LeaseRate:N0}/s", "lease?max=1&start=true → 200, open loop beside the submissions", leases.Count / options.Duration.TotalSeconds,
                leases.Percentile(50), leases.Percentile(99), $"{leasesSent:N0} sent in all, {noAgentFree:N0} found no agent free (100 agents)"),
        ];
    }

    /// <summary>
    /// The cost of a fleet: <see cref="BenchOptions.FleetAgents"/> agents registered, first idle for a window (what
    /// the liveness sweep and the rest of the server's background work cost with them), then each heartbeating
    /// every 30 s with metrics, open loop at the fleet's rate. Reports the server's CPU over each window as a share
    /// of all the machine's cores, and the heartbeats' latency.
    /// </summary>
    public async Task<IReadOnlyList<ScenarioResult>> FleetAsync()
    {
        var agents = new (Guid Id, string Key)[options.FleetAgents];
        var registered = 0L;
        using (Window.Progress("register", () => Interlocked.Read(ref registered), new Window(TimeSpan.Zero, TimeSpan.FromHours(1))))
        {
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                using var connection = await RawHttpConnection.OpenAsync(server);
                for (var n = Interlocked.Increment(ref registered) - 1; n < agents.Length; n = Interlocked.Increment(ref registered) - 1)
                {
                    var response = await connection.SendAsync("POST", "/api/v1/agents", tenantKey, Encoding.UTF8.GetBytes($$"""{"name":"fleet-{{n}}","capacity":1}"""));
                    using var agent = JsonDocument.Parse(response.Body);
                    agents[n] = (agent.RootElement.GetProperty("id").GetGuid(), agent.RootElement.GetProperty("agentKey").GetString()!);
                }
            })));
        }

        await Task.Delay(options.Warmup); // the registration burst's aftermath (JIT, flushes) is not the fleet's cost
        var idleCpu = serverCpu();
        await Task.Delay(options.Duration);
        var idleShare = CpuShare(serverCpu() - idleCpu, options.Duration);

        var rate = agents.Length / HeartbeatInterval.TotalSeconds;
        var latencies = new Latencies();
        var window = new Window(options.Warmup, options.Duration);
        using var progress = Window.Progress("beats", () => latencies.Count, window);
        TimeSpan? cpuAtStart = null;
        using var cpuProbe = new Timer(_ => cpuAtStart ??= window.IsMeasuring ? serverCpu() : null, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
        await OpenLoopAsync(rate, window, async (connection, n) =>
        {
            var (id, key) = agents[n % agents.Length];
            return Answered((await connection.SendAsync("POST", $"/api/v1/agents/{id}/heartbeat", key, HeartbeatBody)).Status is 200 or 204);
        }, latencies);
        var beatingShare = CpuShare(serverCpu() - (cpuAtStart ?? TimeSpan.Zero), options.Duration);

        var fleet = $"{agents.Length:N0} agents";
        return
        [
            new("Agent fleet, idle", $"{fleet} registered, no heartbeats", 0, double.NaN, double.NaN, $"server CPU {idleShare:P1} of {Environment.ProcessorCount} cores"),
            new("Agent fleet, heartbeats", $"{fleet}, each every {HeartbeatInterval.TotalSeconds:0} s with metrics", latencies.Count / options.Duration.TotalSeconds,
                latencies.Percentile(50), latencies.Percentile(99), $"server CPU {beatingShare:P1} of {Environment.ProcessorCount} cores (idle with the fleet: {idleShare:P1})"),
        ];
    }

    private static long? Answered(bool succeeded) => succeeded ? Stopwatch.GetTimestamp() : null;

    private static double CpuShare(TimeSpan cpu, TimeSpan wall) => cpu / (wall * Environment.ProcessorCount);

    /// <summary>
    /// Sends request number n at its intended time (n / rate seconds after the start) until the window is over,
    /// on pre-opened connections (more are opened when all are busy), and records each latency from the intended
    /// time, so a slow server cannot hide its queueing. A request returns the time its measured part was answered,
    /// or null when it failed. Returns how many were sent.
    /// </summary>
    private async Task<long> OpenLoopAsync(double rate, Window window, Func<RawHttpConnection, long, Task<long?>> request, Latencies latencies)
    {
        var idle = new ConcurrentBag<RawHttpConnection>();
        for (var i = 0; i < options.Concurrency; i++)
        {
            idle.Add(await RawHttpConnection.OpenAsync(server));
        }

        var inFlight = new List<Task>();
        var interval = Stopwatch.Frequency / rate;
        var origin = Stopwatch.GetTimestamp();
        var next = 0L;
        while (!window.IsOver)
        {
            // Launch every request whose time has come, then sleep: spinning would steal a core from the server.
            for (var now = Stopwatch.GetTimestamp(); origin + (long)(next * interval) <= now; next++)
            {
                var intended = origin + (long)(next * interval);
                var number = next;
                inFlight.Add(Task.Run(async () =>
                {
                    var connection = idle.TryTake(out var free) ? free : await RawHttpConnection.OpenAsync(server);
                    var answered = await request(connection, number);
                    idle.Add(connection);
                    if (answered is { } finished && window.Contains(intended, finished))
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(intended, finished));
                    }
                }));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(inFlight);
        foreach (var connection in idle)
        {
            connection.Dispose();
        }

        return next;
    }

    private Task<long> ClosedLoopAsync(string name, int connections, Latencies latencies, Func<RawHttpConnection, Task<bool>> request) =>
        ClosedLoopAsync(name, connections, latencies, new Window(options.Warmup, options.Duration), request);

    private async Task<long> ClosedLoopAsync(string name, int connections, Latencies latencies, Window window, Func<RawHttpConnection, Task<bool>> request)
    {
        var count = 0L;
        using var progress = Window.Progress(name, () => Interlocked.Read(ref count), window);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            using var connection = await RawHttpConnection.OpenAsync(server);
            while (!window.IsOver)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await request(connection);
                var finished = Stopwatch.GetTimestamp();
                if (ok && window.Contains(started, finished))
                {
                    Interlocked.Increment(ref count);
                    latencies.Add(Stopwatch.GetElapsedTime(started, finished));
                }
            }
        })));
        return count;
    }
}
