using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Workforce.Testing;

namespace Workforce.Server.Tests;

/// <summary>
/// The real server killed with SIGKILL while agents work through tasks and every task's lifecycle orchestration is
/// running: after the restart every orchestration finishes and every task ends exactly once.
/// </summary>
public sealed class LifecycleCrashTests : IDisposable
{
    private const int Tasks = 120;
    private const string Key = "crash-test-key";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-crash-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Orchestrations_cut_off_by_a_hard_kill_all_finish_after_the_restart_and_each_task_ends_once_and_is_metered_once()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var environment = new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["WORKFORCE_BOOTSTRAP_API_KEY"] = Key,
            ["Workforce__RateLimit__KeyPermitsPerMinute"] = "0",
            // Tasks an agent held when the server died are reclaimed by their lifecycle's timers within seconds.
            ["Workforce__Tasks__AssignmentTimeout"] = "00:00:02",
            ["Workforce__Tasks__Retry__BaseDelay"] = "00:00:00.200",
            ["Workforce__Lifecycle__IdleRecheck"] = "00:00:02",
        };
        var completed = new ConcurrentBag<Guid>();
        var submitted = new List<Guid>();
        List<(Guid Id, string Key)> agents = [];

        await using (var server = await ServerProcess.StartAsync(environment, cancellation))
        {
            using var tenant = server.CreateClient(Key);
            for (var i = 0; i < 4; i++)
            {
                var agent = await Read(await tenant.PostAsJsonAsync("/api/v1/agents", new { name = $"crash-{i}", capacity = 2 }, cancellation));
                agents.Add((Guid.Parse(agent["id"]!.GetValue<string>()), agent["agentKey"]!.GetValue<string>()));
            }

            for (var i = 0; i < Tasks; i++)
            {
                var task = await Read(await tenant.PostAsJsonAsync("/api/v1/tasks", new { type = $"crash-{i}", timeoutSeconds = 2, maxRetries = 5 }, cancellation));
                submitted.Add(Guid.Parse(task["id"]!.GetValue<string>()));
            }

            using var working = new CancellationTokenSource();
            var workers = agents.Select(agent => WorkAsync(server, agent, completed, working.Token)).ToList();
            while (completed.Count < Tasks / 3)
            {
                await Task.Delay(10, cancellation);
            }

            await server.KillAsync();
            await working.CancelAsync();
            await Task.WhenAll(workers);
        }

        await using var restarted = await ServerProcess.StartAsync(environment, cancellation);
        using (var finishing = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
        {
            var workers = agents.Select(agent => WorkAsync(restarted, agent, completed, finishing.Token)).ToList();
            using var reader = restarted.CreateClient(Key);
            await Eventually(async () => (await UnfinishedAsync(reader)) == 0, "every task finished", TimeSpan.FromSeconds(90));
            await finishing.CancelAsync();
            await Task.WhenAll(workers);
        }

        using var client = restarted.CreateClient(Key);
        long runningSeconds = 0;
        foreach (var id in submitted)
        {
            var task = await Read(await client.GetAsync(new Uri($"/api/v1/tasks/{id}", UriKind.Relative), cancellation));
            runningSeconds += RunningSeconds(task["history"]!.AsArray());
            var terminal = task["history"]!.AsArray().Count(step => step!["to"]!.GetValue<string>() is "completed" or "failed" or "cancelled");
            Assert.True(terminal == 1, $"Task {id} reached a terminal state {terminal} times: {task}");
            Assert.Equal("completed", task["state"]!.GetValue<string>());
        }

        // A lifecycle exists for each task whose lease's message found it unfinished; each of those finished too.
        await Eventually(async () => (await CountAsync(client, "running")) + (await CountAsync(client, "pending")) == 0, "every lifecycle finished", TimeSpan.FromSeconds(30));
        Assert.InRange(await CountAsync(client, "completed"), 1, Tasks);

        // Usage was metered in the transactions that caused it: each task once, each attempt's running time once.
        var meters = (await Read(await client.GetAsync(new Uri("/api/v1/usage", UriKind.Relative), cancellation)))["meters"]!;
        Assert.Equal(Tasks, meters["tasks"]!["used"]!.GetValue<int>());
        Assert.Equal(decimal.Round(runningSeconds / 60m, 2), meters["computeMinutes"]!["used"]!.GetValue<decimal>());
    }

    /// <summary>The running time of each attempt the history records, each rounded up to the second as the meter counts it.</summary>
    private static long RunningSeconds(JsonArray history)
    {
        long seconds = 0;
        DateTimeOffset? runningSince = null;
        foreach (var step in history)
        {
            var at = step!["at"]!.GetValue<DateTimeOffset>();
            if (runningSince is { } since && step["from"]?.GetValue<string>() == "running")
            {
                seconds += (long)Math.Ceiling((at - since).TotalSeconds);
                runningSince = null;
            }

            if (step["to"]!.GetValue<string>() == "running")
            {
                runningSince = at;
            }
        }

        return seconds;
    }

    [Fact]
    public async Task Tasks_held_at_a_hard_kill_each_move_on_within_their_timeout_after_the_restart()
    {
        const int timeoutSeconds = 5;
        var cancellation = TestContext.Current.CancellationToken;
        var environment = new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["WORKFORCE_BOOTSTRAP_API_KEY"] = Key,
            ["Workforce__RateLimit__KeyPermitsPerMinute"] = "0",
            ["Workforce__Tasks__AssignmentTimeout"] = $"00:00:0{timeoutSeconds}",
            // The idle recheck stays at its default of minutes: what it would catch must be caught long before.
        };
        var completed = new ConcurrentBag<Guid>();
        var holding = new ConcurrentDictionary<Guid, bool>();
        await using (var server = await ServerProcess.StartAsync(environment, cancellation))
        {
            using var tenant = server.CreateClient(Key);
            var agents = new List<(Guid Id, string Key)>();
            for (var i = 0; i < 8; i++)
            {
                var agent = await Read(await tenant.PostAsJsonAsync("/api/v1/agents", new { name = $"held-{i}" }, cancellation));
                agents.Add((Guid.Parse(agent["id"]!.GetValue<string>()), agent["agentKey"]!.GetValue<string>()));
            }

            for (var i = 0; i < 300; i++)
            {
                await Read(await tenant.PostAsJsonAsync("/api/v1/tasks", new { type = $"held-{i}", timeoutSeconds }, cancellation));
            }

            using var working = new CancellationTokenSource();
            var workers = agents.Select(agent => WorkAsync(server, agent, completed, working.Token, TimeSpan.FromMilliseconds(30), holding)).ToList();
            while (completed.Count < 100 || holding.IsEmpty)
            {
                await Task.Delay(10, cancellation);
            }

            await server.KillAsync();
            await working.CancelAsync();
            await Task.WhenAll(workers);
        }

        // The agents died with the server: nothing but the lifecycle workflows moves the tasks they held. Which those
        // are comes from the agents, since on a loaded machine the timeouts can fire while the server is starting.
        var held = holding.Keys.ToList();
        Assert.NotEmpty(held);
        await using var restarted = await ServerProcess.StartAsync(environment, cancellation);
        var restartedAt = DateTime.UtcNow;
        using var client = restarted.CreateClient(Key);

        var bound = TimeSpan.FromSeconds(timeoutSeconds + 10);
        await Eventually(async () =>
        {
            var now = (await TasksAsync(client)).ToDictionary(t => t.Id);
            return held.All(id => now[id].State is not ("assigned" or "running"));
        }, $"each of the {held.Count} tasks held at the kill moved on", bound - (DateTime.UtcNow - restartedAt));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>
    /// An agent's loop: lease, start, complete (after holding the task a while), until told to stop or the server goes
    /// away; <paramref name="holding"/> has the tasks it was handed and has not seen completed.
    /// </summary>
    private static Task WorkAsync(
        ServerProcess server, (Guid Id, string Key) agent, ConcurrentBag<Guid> completed, CancellationToken stop,
        TimeSpan holdFor = default, ConcurrentDictionary<Guid, bool>? holding = null) => Task.Run(async () =>
    {
        using var client = server.CreateClient(agent.Key);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var lease = await client.PostAsync(new Uri($"/api/v1/agents/{agent.Id}/lease?waitSeconds=1", UriKind.Relative), null, stop);
                if (lease.StatusCode != HttpStatusCode.OK)
                {
                    continue;
                }

                var id = Guid.Parse((await lease.Content.ReadFromJsonAsync<JsonObject>(stop))!["id"]!.GetValue<string>());
                holding?.TryAdd(id, true);
                await client.PostAsync(new Uri($"/api/v1/tasks/{id}/start", UriKind.Relative), null, stop);
                await Task.Delay(holdFor, stop);
                var done = await client.PostAsJsonAsync($"/api/v1/tasks/{id}/complete", new { result = "ok" }, stop);
                if (done.IsSuccessStatusCode)
                {
                    completed.Add(id);
                    holding?.TryRemove(id, out _);
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // The server was killed under the agent, or the test is done with it.
        }
    }, CancellationToken.None);

    private static async Task<List<(Guid Id, string State)>> TasksAsync(HttpClient client)
    {
        var tasks = new List<(Guid, string)>();
        string? cursor = null;
        do
        {
            var page = await Read(await client.GetAsync(new Uri($"/api/v1/tasks?limit=500{(cursor is null ? "" : "&cursor=" + cursor)}", UriKind.Relative)));
            tasks.AddRange(page["items"]!.AsArray().Select(t => (Guid.Parse(t!["id"]!.GetValue<string>()), t["state"]!.GetValue<string>())));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        return tasks;
    }

    private static async Task<int> UnfinishedAsync(HttpClient client)
    {
        var unfinished = 0;
        string? cursor = null;
        do
        {
            var page = await Read(await client.GetAsync(new Uri($"/api/v1/tasks?limit=500{(cursor is null ? "" : "&cursor=" + cursor)}", UriKind.Relative)));
            unfinished += page["items"]!.AsArray().Count(t => t!["state"]!.GetValue<string>() is not ("completed" or "failed" or "cancelled"));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        return unfinished;
    }

    private static async Task<int> CountAsync(HttpClient client, string status)
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var page = await Read(await client.GetAsync(new Uri($"/api/v1/orchestrations?status={status}&limit=500{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", UriKind.Relative)));
            count += page["items"]!.AsArray().Count;
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        return count;
    }

    private static async Task<JsonObject> Read(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {within.TotalSeconds} s: {what}.");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
