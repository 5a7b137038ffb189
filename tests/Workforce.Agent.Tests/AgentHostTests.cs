using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Workforce.Agent.Tests;

/// <summary>The SDK's agent against the real server in memory: results, failures, capacity, cancellation, drain.</summary>
public sealed class AgentHostTests : IAsyncDisposable
{
    private readonly AgentServer _server = new();

    public sealed record Echo(string Text);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_handlers_result_completes_the_task_and_its_exceptions_fail_it_retryably_or_for_good()
    {
        using var tenant = _server.Tenant();
        var flakyAttempts = 0;
        using var agent = _server.Agent(2)
            .Handle<Echo, Echo>("echo", (input, _, _) => Task.FromResult(new Echo(input.Text.ToUpperInvariant())))
            .Handle<Echo, Echo>("flaky", (input, context, _) =>
            {
                Interlocked.Increment(ref flakyAttempts);
                return context.Attempt == 1 ? throw new InvalidOperationException("not yet") : Task.FromResult(input);
            })
            .Handle<Echo>("broken", (_, _, _) => throw new NonRetryableException("the input can never work"));
        var running = agent.RunAsync(_server.Stopping);

        var echo = await tenant.SubmitAsync("echo", new { text = "hello" });
        var flaky = await tenant.SubmitAsync("flaky", new { text = "again" });
        var broken = await tenant.SubmitAsync("broken", new { text = "x" });

        var echoed = await tenant.WaitForStateAsync(echo, "completed", "failed");
        Assert.Equal("completed", echoed.Str("state"));
        Assert.Equal("HELLO", echoed["result"]!["text"]!.GetValue<string>());

        var retried = await tenant.WaitForStateAsync(flaky, "completed", "failed");
        Assert.Equal("completed", retried.Str("state"));
        Assert.Equal(2, retried["attempt"]!.GetValue<int>());
        Assert.Equal(2, flakyAttempts);

        var failed = await tenant.WaitForStateAsync(broken, "completed", "failed");
        Assert.Equal("failed", failed.Str("state"));
        Assert.Equal(1, failed["attempt"]!.GetValue<int>());
        Assert.Equal("the input can never work", failed.Str("error"));

        await _server.StopAgentsAsync();
        await running;
    }

    [Fact]
    public async Task The_agent_never_runs_more_handlers_at_once_than_its_capacity()
    {
        using var tenant = _server.Tenant();
        var now = 0;
        var most = 0;
        using var agent = _server.Agent(3).Handle<Echo>("slow", async (_, _, cancellationToken) =>
        {
            var running = Interlocked.Increment(ref now);
            InterlockedMax(ref most, running);
            await Task.Delay(200, cancellationToken);
            Interlocked.Decrement(ref now);
        });
        var run = agent.RunAsync(_server.Stopping);

        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await tenant.SubmitAsync("slow", new { text = $"{i}" }));
        }

        foreach (var id in ids)
        {
            Assert.Equal("completed", (await tenant.WaitForStateAsync(id, "completed", "failed")).Str("state"));
        }

        Assert.InRange(most, 1, 3);
        await _server.StopAgentsAsync();
        await run;
    }

    [Fact]
    public async Task Cancelling_a_running_task_cancels_its_handler_within_the_task_check_interval()
    {
        // The agent polls its held tasks every 500 ms here (2 s by default): 5 s bounds the poll, not the speed.
        var reason = await CancelWhileRunningAsync(options => options.HeartbeatInterval = TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5));
        Assert.Equal("lost", reason);
    }

    [Fact]
    public async Task The_heartbeat_answer_names_a_cancelled_task_and_cancels_its_handler_with_the_reason()
    {
        var reason = await CancelWhileRunningAsync(options => options.TaskCheckInterval = TimeSpan.Zero, TimeSpan.FromSeconds(60));
        Assert.Equal("cancelled", reason);
    }

    [Fact]
    public async Task Stopping_the_host_drains_the_agent_and_no_task_is_lost_or_run_twice()
    {
        using var tenant = _server.Tenant();
        var finished = new ConcurrentDictionary<Guid, int>();
        var begun = 0;
        Task Work(Echo input, TaskContext context, CancellationToken cancellationToken) => SlowAsync(context, cancellationToken);
        async Task SlowAsync(TaskContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref begun);
            await Task.Delay(500, cancellationToken);
            finished.AddOrUpdate(context.TaskId, 1, (_, count) => count + 1);
        }

        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await tenant.SubmitAsync("slow", new { text = $"{i}" }));
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IHttpClientFactory>(new ServerClients(_server));
        builder.Services.AddWorkforceAgent(options => AgentServer.Fast(options, 2)).Handle<Echo>("slow", Work);
        using (var host = builder.Build())
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            await TenantCalls.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref begun) >= 3), "the agent began three tasks");
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        var afterStop = new Dictionary<Guid, string>();
        foreach (var id in ids)
        {
            afterStop[id] = (await tenant.TaskAsync(id)).Str("state");
        }

        Assert.All(afterStop.Values, state => Assert.Contains(state, new[] { "completed", "pending" }));
        var drained = await TenantCalls.ReadAsync(await tenant.GetAsync(new Uri("/api/v1/agents?limit=10", UriKind.Relative), TestContext.Current.CancellationToken));
        Assert.True(drained["items"]![0]!["draining"]!.GetValue<bool>());
        Assert.Equal(0, drained["items"]![0]!["activeTasks"]!.GetValue<int>());

        using var successor = _server.Agent(2).Handle<Echo>("slow", Work);
        var run = successor.RunAsync(_server.Stopping);
        foreach (var id in ids)
        {
            Assert.Equal("completed", (await tenant.WaitForStateAsync(id, "completed", "failed")).Str("state"));
        }

        Assert.All(ids, id => Assert.Equal(1, finished.GetValueOrDefault(id)));
        await _server.StopAgentsAsync();
        await run;
    }

    [Fact]
    public async Task An_agent_told_its_held_tasks_runs_one_whose_lease_answer_it_never_saw()
    {
        using var tenant = _server.Tenant();
        var registered = await TenantCalls.ReadAsync(await tenant.PostAsJsonAsync("/api/v1/agents", new { name = "crashed", capabilities = new[] { "echo" }, capacity = 2 }, TestContext.Current.CancellationToken));
        var agentId = registered["id"]!.GetValue<Guid>();
        var agentKey = registered.Str("agentKey");
        var id = await tenant.SubmitAsync("echo", new { text = "lost answer" });
        using (var agentHttp = _server.CreateClient())
        {
            agentHttp.DefaultRequestHeaders.Add("X-API-Key", agentKey);
            var lease = await agentHttp.PostAsync(new Uri($"/api/v1/agents/{agentId}/lease", UriKind.Relative), null, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, lease.StatusCode); // ...and the agent process dies before it reads the answer
            var held = await TenantCalls.ReadAsync(await agentHttp.GetAsync(new Uri($"/api/v1/agents/{agentId}/tasks", UriKind.Relative), TestContext.Current.CancellationToken));
            Assert.Equal(id, held["items"]![0]!["id"]!.GetValue<Guid>());
        }

        using var agent = _server.Agent(2, options =>
        {
            options.TenantKey = null;
            options.AgentId = agentId;
            options.AgentKey = agentKey;
        }).Handle<Echo, Echo>("echo", (input, _, _) => Task.FromResult(input));
        var run = agent.RunAsync(_server.Stopping);

        var task = await tenant.WaitForStateAsync(id, "completed", "failed");
        Assert.Equal("lost answer", task["result"]!["text"]!.GetValue<string>());
        Assert.Equal(1, task["attempt"]!.GetValue<int>());
        await _server.StopAgentsAsync();
        await run;
    }

    [Fact]
    public async Task A_heartbeat_that_names_no_tasks_still_answers_204_and_one_that_does_hears_of_lost_ones()
    {
        using var tenant = _server.Tenant();
        var registered = await TenantCalls.ReadAsync(await tenant.PostAsJsonAsync("/api/v1/agents", new { name = "hb", capacity = 1 }, TestContext.Current.CancellationToken));
        var agentId = registered["id"]!.GetValue<Guid>();
        using var agentHttp = _server.CreateClient();
        agentHttp.DefaultRequestHeaders.Add("X-API-Key", registered.Str("agentKey"));
        var id = await tenant.SubmitAsync("x");
        (await agentHttp.PostAsync(new Uri($"/api/v1/agents/{agentId}/lease", UriKind.Relative), null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var plain = await agentHttp.PostAsJsonAsync($"/api/v1/agents/{agentId}/heartbeat", new { cpuPercent = 1.0, memoryMb = 10.0, threadCount = 3 }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, plain.StatusCode);
        var holding = await TenantCalls.ReadAsync(await agentHttp.PostAsJsonAsync($"/api/v1/agents/{agentId}/heartbeat", new { tasks = new[] { id } }, TestContext.Current.CancellationToken));
        Assert.Empty(holding["cancelledTasks"]!.AsArray());

        (await tenant.PostAsync(new Uri($"/api/v1/tasks/{id}/cancel", UriKind.Relative), null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var unknown = Guid.NewGuid();
        var lost = await TenantCalls.ReadAsync(await agentHttp.PostAsJsonAsync($"/api/v1/agents/{agentId}/heartbeat", new { tasks = new[] { id, unknown } }, TestContext.Current.CancellationToken));
        Assert.Equal(
            [(id, "cancelled"), (unknown, "removed")],
            lost["cancelledTasks"]!.AsArray().Select(item => (item!["id"]!.GetValue<Guid>(), item.Str("reason"))).ToArray());
        var complete = await agentHttp.PostAsJsonAsync($"/api/v1/tasks/{id}/complete", new { result = 1 }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
    }

    /// <summary>Runs a task whose handler waits for its token, cancels the task as the tenant, and returns the reason the handler saw.</summary>
    private async Task<string?> CancelWhileRunningAsync(Action<WorkforceAgentOptions> configure, TimeSpan bound)
    {
        using var tenant = _server.Tenant();
        var started = new TaskCompletionSource<TaskContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var agent = _server.Agent(1, configure)
            .Handle<Echo>("wait", async (_, context, cancellationToken) => await WaitForCancellationAsync(context, started, cancelled, cancellationToken));
        var run = agent.RunAsync(_server.Stopping);

        var id = await tenant.SubmitAsync("wait", new { text = "x" });
        await tenant.WaitForStateAsync(id, "running");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        (await tenant.PostAsync(new Uri($"/api/v1/tasks/{id}/cancel", UriKind.Relative), null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var reason = await cancelled.Task.WaitAsync(bound, TestContext.Current.CancellationToken);
        Assert.Equal("cancelled", (await tenant.TaskAsync(id)).Str("state"));
        await _server.StopAgentsAsync();
        await run;
        return reason;
    }

    private static async Task WaitForCancellationAsync(
        TaskContext context, TaskCompletionSource<TaskContext> started, TaskCompletionSource<string?> cancelled, CancellationToken cancellationToken)
    {
        started.TrySetResult(context);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            cancelled.TrySetResult(context.CancellationReason);
            throw;
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>Hands the generic host's agent the in-memory server's clients.</summary>
    private sealed class ServerClients(AgentServer server) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => server.CreateClient();
    }
}

internal static class JsonReading
{
    public static string Str(this JsonNode node, string name) => node[name]!.GetValue<string>();
}
