using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Workforce.Agent;

namespace Workforce.Bench;

internal sealed partial class LoadScenarios
{
    /// <summary>
    /// e2e with agents written with the SDK: the same server, submitters and backlog, but the agents are
    /// <see cref="BenchOptions.Agents"/> <see cref="AgentHost"/>s (registered beforehand with capacity 1, run with
    /// their AgentId and AgentKey) whose handler does nothing, all sending through one HttpClient on one
    /// SocketsHttpHandler. The SDK leases with lease?max=1&amp;start=true and completes with complete?next=1&amp;start=true,
    /// so a task costs it one request where e2e's raw agents send three; it keeps its default heartbeat (30 s) and
    /// task check (GET /agents/{id}/tasks every 2 s while it runs a task). A task counts when the server answered
    /// its completion 200 (counted on the shared client, not when the handler returned), sent and answered inside
    /// the window. The agents stop through RunAsync's token once the window is over, and drain.
    /// </summary>
    public async Task<ScenarioResult> SdkEndToEndAsync()
    {
        var window = new Window(options.Warmup, options.Duration);
        var agents = await BenchAgents.RegisterAsync(server, tenantKey, options.Agents, capacity: 1);
        var requests = new AgentRequests(window) { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(requests) { Timeout = TimeSpan.FromSeconds(new WorkforceAgentOptions().LeaseWaitSeconds + 30) }; // as the SDK's own client
        var hosts = agents.Select(agent => new AgentHost(new WorkforceAgentOptions { ServerUrl = server, AgentId = agent.Id, AgentKey = agent.Key, Capacity = 1 }, http)
            .Handle<JsonElement, BenchResult>("bench", (_, _, _) => Task.FromResult(BenchResult.Done))).ToList();
        using var progress = Window.Progress("e2e-sdk", () => requests.Completed, window);
        using var cpu = new CpuProbe(window, serverCpu);
        using var stop = new CancellationTokenSource();
        var running = hosts.Select(host => host.RunAsync(stop.Token)).ToList();
        await KeepBacklogAsync(window, () => requests.Finished);

        // Read at the window's end, before the agents drain, so the shutdown is not charged to the tasks.
        var cpuPerTask = cpu.PerTask(requests.Completed);
        var seconds = options.Duration.TotalSeconds;
        var notes = $"{options.Agents} SDK agents × capacity 1 on one HttpClient, {options.Submitters} submitters, backlog ≤ {Backlog:N0}; {cpuPerTask}; " +
            $"{requests.InWindow / Math.Max(1.0, requests.Completed):0.00} agent requests/task ({requests.Leases / seconds:N0} leases/s, {requests.EmptyLeases / seconds:N0} of them empty; " +
            $"{requests.TaskChecks / seconds:N0} task checks/s; {requests.Heartbeats} heartbeats)";
        await stop.CancelAsync();
        await Task.WhenAll(running);
        foreach (var host in hosts)
        {
            host.Dispose();
        }

        return new("End-to-end tasks, SDK agents", "submit → AgentHost lease → handler → complete", requests.Completed / seconds, double.NaN, double.NaN, notes)
        {
            ServerCpuMsPerTask = cpuPerTask.ServerMs,
            BenchCpuMsPerTask = cpuPerTask.BenchMs,
        };
    }

    /// <summary>The result every task completes with, as e2e's raw agents send it: {"ok":true}.</summary>
    private sealed record BenchResult(bool Ok)
    {
        public static readonly BenchResult Done = new(true);
    }

    /// <summary>Counts what the SDK's agents send, as the server answers it: completions, and the requests of the window by kind.</summary>
    private sealed class AgentRequests(Window window) : DelegatingHandler
    {
        private long _completed;
        private long _finished;
        private long _inWindow;
        private long _taskChecks;
        private long _heartbeats;
        private long _leases;
        private long _emptyLeases;

        /// <summary>Completions the server answered 200, sent and answered inside the window.</summary>
        public long Completed => Interlocked.Read(ref _completed);

        /// <summary>Completions the server answered, whenever and however: what the submitters' backlog is kept against.</summary>
        public long Finished => Interlocked.Read(ref _finished);

        public long InWindow => Interlocked.Read(ref _inWindow);

        public long TaskChecks => Interlocked.Read(ref _taskChecks);

        public long Heartbeats => Interlocked.Read(ref _heartbeats);

        /// <summary>Lease requests (after a completion that brought no next task, or on start), and those answered with none.</summary>
        public long Leases => Interlocked.Read(ref _leases);

        public long EmptyLeases => Interlocked.Read(ref _emptyLeases);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await base.SendAsync(request, cancellationToken);
            var path = request.RequestUri!.AbsolutePath;
            var completion = path.EndsWith("/complete", StringComparison.Ordinal);
            if (completion)
            {
                Interlocked.Increment(ref _finished);
            }

            if (!window.Contains(started, Stopwatch.GetTimestamp()))
            {
                return response;
            }

            Interlocked.Increment(ref _inWindow);
            if (completion && response.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref _completed);
            }
            else if (request.Method == HttpMethod.Get && path.EndsWith("/tasks", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _taskChecks);
            }
            else if (path.EndsWith("/lease", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _leases);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    Interlocked.Increment(ref _emptyLeases);
                }
            }
            else if (path.EndsWith("/heartbeat", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _heartbeats);
            }

            return response;
        }
    }
}
