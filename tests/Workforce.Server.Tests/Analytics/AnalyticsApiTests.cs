using System.Net;
using System.Text.Json.Nodes;

namespace Workforce.Server.Tests.Analytics;

/// <summary>The server with analytics flushed every second, so a test sees its own activity in the history at once.</summary>
public class AnalyticsApiFactory : WorkforceApiFactory
{
    public AnalyticsApiFactory()
        : this(TestStorage.Sqlite)
    {
    }

    protected AnalyticsApiFactory(TestStorage storage)
        : base(storage, new Dictionary<string, string?> { ["Workforce:Analytics:FlushInterval"] = "00:00:01" })
    {
    }
}

public sealed class AzuriteAnalyticsApiFactory() : AnalyticsApiFactory(TestStorage.Azurite);

public abstract class AnalyticsApiTests(AnalyticsApiFactory factory)
{
    [Fact]
    public async Task Tasks_done_through_the_api_show_in_the_summary_and_the_series_of_their_type()
    {
        using var client = await factory.NewTenantAsync();
        using var agent = await AgentAsync(client);
        await client.SubmitAsync(new { type = "email", priority = "high" });
        await client.SubmitAsync(new { type = "email", priority = "high" });
        await client.SubmitAsync(new { type = "resize" });
        await DoNextAsync(agent, succeed: true);
        await DoNextAsync(agent, succeed: true);
        await DoNextAsync(agent, succeed: false);

        var summary = await EventuallyAsync(client, "/api/v1/analytics/summary", json => json["tasks"]!["completed"]!.GetValue<long>() == 2 && json["tasks"]!["failed"]!.GetValue<long>() == 1);

        Assert.Equal(3, summary["tasks"]!["submitted"]!.GetValue<long>());
        Assert.Equal(33.3, summary["tasks"]!["errorRate"]!.GetValue<double>(), 1);
        Assert.NotNull(summary["runTime"]!["p95"]);
        var email = summary["byType"]!.AsArray().Single(type => type!.Str("type") == "email")!;
        Assert.Equal("high", email.Str("priority"));
        Assert.Equal(2, email["completed"]!.GetValue<long>());
        var series = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/analytics/completed?type=email&step=1m"));
        Assert.Equal("tasks", series.Str("unit"));
        Assert.Equal(60, series["stepSeconds"]!.GetValue<long>());
        Assert.Equal(2, series["points"]!.AsArray().Sum(point => point!["value"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Another_tenant_sees_none_of_it()
    {
        using var busy = await factory.NewTenantAsync();
        using var agent = await AgentAsync(busy);
        await busy.SubmitAsync(new { type = "email" });
        await DoNextAsync(agent, succeed: true);
        await EventuallyAsync(busy, "/api/v1/analytics/summary", json => json["tasks"]!["completed"]!.GetValue<long>() == 1);
        using var other = await factory.NewTenantAsync();

        var summary = await WorkforceClient.ReadAsync(await other.GetAsync("/api/v1/analytics/summary"));

        Assert.Equal(0, summary["tasks"]!["submitted"]!.GetValue<long>());
        Assert.Empty(summary["byType"]!.AsArray());
    }

    [Fact]
    public async Task An_agents_reported_metrics_come_back_at_full_resolution_and_per_minute()
    {
        using var client = await factory.NewTenantAsync();
        var registered = await client.RegisterAsync();
        using var agent = factory.Client(registered.Str("agentKey"));
        foreach (var cpu in new[] { 20.0, 40.0 })
        {
            await WorkforceClient.ReadAsync(await agent.PutAsync($"/api/v1/agents/{registered.Id()}/metrics", new { cpuPercent = cpu, memoryMb = 512, threadCount = 12 }));
        }

        var raw = await EventuallyAsync(client, $"/api/v1/agents/{registered.Id()}/metrics", json => json["points"]!.AsArray().Count == 2);
        Assert.Null(raw["stepSeconds"]);
        Assert.Equal(30, raw["average"]!["cpuPercent"]!.GetValue<double>());
        var perMinute = await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/agents/{registered.Id()}/metrics?step=1m"));
        Assert.Equal(2, perMinute["points"]!.AsArray().Sum(point => point!["samples"]!.GetValue<long>()));
        Assert.Equal(512, perMinute["average"]!["memoryMb"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("/api/v1/analytics/latency", "metric")]
    [InlineData("/api/v1/analytics/completed?step=5x", "step")]
    [InlineData("/api/v1/analytics/completed?step=1m&from=2020-01-01T00:00:00Z", "step")]
    [InlineData("/api/v1/analytics/completed?priority=urgent", "priority")]
    [InlineData("/api/v1/analytics/queueDepth?type=email", "type")]
    [InlineData("/api/v1/visualizations?range=2w", "range")]
    public async Task A_bad_query_is_a_problem_naming_the_field(string path, string field)
    {
        using var client = await factory.NewTenantAsync();

        var problem = await WorkforceClient.ProblemAsync(await client.GetAsync(path), HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task The_dashboards_week_has_an_hourly_point_in_every_series()
    {
        using var client = await factory.NewTenantAsync();

        var week = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/visualizations?range=7d"));

        Assert.Equal(3600, week["stepSeconds"]!.GetValue<long>());
        var points = week["timestamps"]!.AsArray().Count;
        Assert.InRange(points, 168, 169);
        foreach (var series in new[] { "throughput", "errorRate", "scheduleToStartP95", "runTimeP99", "utilisation" })
        {
            Assert.Equal(points, week["series"]![series]!.AsArray().Count);
        }
    }

    [Fact]
    public async Task Performance_reports_this_servers_cpu_memory_disk_and_uptime()
    {
        using var client = await factory.NewTenantAsync();

        var performance = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/performance"));

        var current = performance["servers"]!.AsArray().Single(server => server!["current"]!.GetValue<bool>())!;
        Assert.Equal(Environment.MachineName, current.Str("server"));
        Assert.InRange(current["memoryMb"]!.GetValue<double>(), 1, 100_000);
        Assert.True(current["diskTotalMb"]!.GetValue<double>() >= current["diskFreeMb"]!.GetValue<double>());
        Assert.True(current["uptimeSeconds"]!.GetValue<double>() >= 0);
    }

    private async Task<Agent> AgentAsync(WorkforceClient tenant)
    {
        var agent = await tenant.RegisterAsync(capacity: 1);
        return new Agent(agent.Id(), factory.Client(agent.Str("agentKey")));
    }

    private static async Task DoNextAsync(Agent agent, bool succeed)
    {
        var leased = await WorkforceClient.ReadAsync(await agent.Client.PostAsync($"/api/v1/agents/{agent.Id}/lease"));
        await WorkforceClient.ReadAsync(await agent.Client.PostAsync($"/api/v1/tasks/{leased.Id()}/start"));
        await WorkforceClient.ReadAsync(succeed
            ? await agent.Client.PostAsync($"/api/v1/tasks/{leased.Id()}/complete", new { result = new { ok = true } })
            : await agent.Client.PostAsync($"/api/v1/tasks/{leased.Id()}/fail", new { error = "boom", retryable = false }));
    }

    private sealed record Agent(Guid Id, WorkforceClient Client) : IDisposable
    {
        public void Dispose() => Client.Dispose();
    }

    /// <summary>Reads the route until the flushed history shows what the test did (within 15 s).</summary>
    private static async Task<JsonObject> EventuallyAsync(WorkforceClient client, string path, Func<JsonObject, bool> shows)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var json = await WorkforceClient.ReadAsync(await client.GetAsync(path));
            if (shows(json) || DateTime.UtcNow > deadline)
            {
                Assert.True(shows(json), json.ToJsonString());
                return json;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}

public sealed class SqliteAnalyticsApiTests(AnalyticsApiFactory factory) : AnalyticsApiTests(factory), IClassFixture<AnalyticsApiFactory>;

public sealed class AzuriteAnalyticsApiTests(AzuriteAnalyticsApiFactory factory) : AnalyticsApiTests(factory), IClassFixture<AzuriteAnalyticsApiFactory>;
