using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Workforce.Agent;

namespace Workforce.Agent.Tests;

/// <summary>
/// The real server in memory on a SQLite file of its own, with a known tenant key; agents reach it through the
/// HttpClient it hands out. Retries back off for 200 ms instead of seconds.
/// </summary>
public sealed class AgentServer : WebApplicationFactory<Program>
{
    public const string TenantKey = "sdk-tenant-key";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-agent-tests", Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource _stop = new();

    /// <summary>What a test runs its agents with: cancelled by <see cref="StopAgentsAsync"/>, at the latest when the server is disposed.</summary>
    public CancellationToken Stopping => _stop.Token;

    public Task StopAgentsAsync() => _stop.CancelAsync();

    public HttpClient Tenant()
    {
        var http = CreateClient();
        http.DefaultRequestHeaders.Add("X-API-Key", TenantKey);
        return http;
    }

    /// <summary>An agent that registers itself with the tenant key, with fast heartbeats and task checks.</summary>
    public AgentHost Agent(int capacity, Action<WorkforceAgentOptions>? configure = null)
    {
        var options = FastOptions(capacity);
        configure?.Invoke(options);
        return new AgentHost(options, CreateClient());
    }

    public static WorkforceAgentOptions FastOptions(int capacity)
    {
        var options = new WorkforceAgentOptions();
        Fast(options, capacity);
        return options;
    }

    /// <summary>Registers with the tenant key; heartbeats every second, checks its tasks every 500 ms, reconnects within a second.</summary>
    public static void Fast(WorkforceAgentOptions options, int capacity)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TenantKey = TenantKey;
        options.Name = "sdk-test";
        options.Capacity = capacity;
        options.HeartbeatInterval = TimeSpan.FromSeconds(1);
        options.TaskCheckInterval = TimeSpan.FromMilliseconds(500);
        options.LeaseWaitSeconds = 2;
        options.ReconnectBaseDelay = TimeSpan.FromMilliseconds(100);
        options.ReconnectMaxDelay = TimeSpan.FromSeconds(1);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings(_dataDirectory))
        {
            builder.UseSetting(key, value);
        }
    }

    public static Dictionary<string, string> Settings(string dataDirectory) => new()
    {
        ["Workforce:Storage:Sqlite:DataDirectory"] = dataDirectory,
        ["Workforce:Bootstrap:ApiKey"] = TenantKey,
        ["Workforce:RateLimit:PermitsPerMinute"] = "0",
        ["Workforce:RateLimit:KeyPermitsPerMinute"] = "0",
        ["Workforce:Auth:KeyCacheDuration"] = "00:00:00",
        ["Workforce:Leases:RecheckInterval"] = "00:00:00.100",
        ["Workforce:Tasks:Retry:BaseDelay"] = "00:00:00.200",
        ["Workforce:Messaging:VisibilityTimeout"] = "00:00:01", // an unacknowledged message comes again within seconds
    };

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}

/// <summary>The tenant's side of the API as the tests use it: raw JSON, so they see the wire contract.</summary>
public static class TenantCalls
{
    public static async Task<Guid> SubmitAsync(this HttpClient tenant, string type, object? payload = null, int maxRetries = 3, int timeoutSeconds = 300)
    {
        var response = await tenant.PostAsJsonAsync("/api/v1/tasks", new { type, payload, maxRetries, timeoutSeconds }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ReadAsync(response))["id"]!.GetValue<Guid>();
    }

    public static async Task<JsonNode> TaskAsync(this HttpClient tenant, Guid id) =>
        await ReadAsync(await tenant.GetAsync(new Uri($"/api/v1/tasks/{id}", UriKind.Relative), TestContext.Current.CancellationToken));

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Polls until the task is in one of <paramref name="states"/>; generous, for a loaded machine.</summary>
    public static async Task<JsonNode> WaitForStateAsync(this HttpClient tenant, Guid id, params string[] states)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var task = await tenant.TaskAsync(id);
            if (states.Contains(task["state"]!.GetValue<string>()))
            {
                return task;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Task {id} is {task["state"]}, not {string.Join(" or ", states)}, after 60 s: {task.ToJsonString()}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {seconds} s: {what}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
