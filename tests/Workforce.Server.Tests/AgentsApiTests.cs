using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Workforce.Server.Tests;

public abstract class AgentsApiTests(WorkforceApiFactory factory)
{
    [Fact]
    public async Task Registration_returns_the_agent_its_key_and_a_location()
    {
        using var client = await factory.NewTenantAsync();

        var response = await client.PostAsync("/api/v1/agents", new { name = "gpt-worker", capabilities = new[] { "NLP", "gpu" }, capacity = 4, role = "strategic", metadata = new { model = "x" } });

        var agent = await WorkforceClient.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/agents/{agent.Id()}", response.Headers.Location?.OriginalString);
        Assert.StartsWith("wfa_", agent.Str("agentKey"), StringComparison.Ordinal);
        Assert.Equal("online", agent.Str("status"));
        Assert.Equal("strategic", agent.Str("role"));
        Assert.Equal(["gpu", "nlp"], agent["capabilities"]!.AsArray().Select(c => c!.GetValue<string>()));
        var fetched = await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/agents/{agent.Id()}"));
        Assert.False(fetched.ContainsKey("agentKey"));
        Assert.Equal("x", fetched["metadata"]!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Registration_defaults_to_one_slot_as_an_operational_agent()
    {
        using var client = await factory.NewTenantAsync();

        var agent = await WorkforceClient.ReadAsync(await client.PostAsync("/api/v1/agents", new { name = "plain" }), HttpStatusCode.Created);

        Assert.Equal(1, agent["capacity"]!.GetValue<int>());
        Assert.Equal("operational", agent.Str("role"));
    }

    [Fact]
    public async Task Metrics_show_up_on_the_agent()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));

        var put = await agentClient.Http.PutAsJsonAsync($"/api/v1/agents/{agent.Id()}/metrics", new { cpuPercent = 37.5, memoryMb = 900, threadCount = 12 });

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var fetched = await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/agents/{agent.Id()}"));
        Assert.Equal(37.5, fetched["metrics"]!["cpuPercent"]!.GetValue<double>());
        Assert.Equal(12, fetched["metrics"]!["threadCount"]!.GetValue<int>());
        Assert.Equal(fetched.Str("lastHeartbeatAt"), fetched["metrics"]!.Str("reportedAt"));
    }

    [Fact]
    public async Task Out_of_range_metrics_are_400()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();

        var response = await client.Http.PutAsJsonAsync($"/api/v1/agents/{agent.Id()}/metrics", new { cpuPercent = 250, memoryMb = 1, threadCount = 1 });

        var problem = await WorkforceClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["cpuPercent"]);
    }

    [Fact]
    public async Task Lists_filter_by_status_and_capability()
    {
        using var client = await factory.NewTenantAsync();
        var gpu = await client.RegisterAsync("gpu", ["gpu"]);
        await client.RegisterAsync("cpu", ["cpu"]);
        await client.SubmitAsync(new { type = "x" });
        using var gpuClient = factory.Client(gpu.Str("agentKey"));
        await WorkforceClient.ReadAsync(await gpuClient.PostAsync($"/api/v1/agents/{gpu.Id()}/lease"));

        var busy = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/agents?status=busy"));
        var withGpu = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/agents?capability=GPU"));

        Assert.Equal(["gpu"], busy["items"]!.AsArray().Select(a => a!.Str("name")));
        Assert.Equal(["gpu"], withGpu["items"]!.AsArray().Select(a => a!.Str("name")));
    }

    [Fact]
    public async Task Removing_an_agent_puts_its_tasks_back_in_the_queue()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var task = await client.SubmitAsync(new { type = "x" });
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));

        var removed = await client.Http.DeleteAsync(new Uri($"/api/v1/agents/{agent.Id()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var after = await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/tasks/{task.Id()}"));
        Assert.Equal("pending", after.Str("state"));
        await WorkforceClient.ProblemAsync(await client.GetAsync($"/api/v1/agents/{agent.Id()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_drained_agent_finishes_its_task_and_leases_nothing_until_resumed()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync(capacity: 2);
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var held = await client.SubmitAsync(new { type = "held" });
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        var waiting = await client.SubmitAsync(new { type = "waiting" });

        var drained = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/drain"));

        Assert.True(drained["draining"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NoContent, (await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease")).StatusCode);
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{held.Id()}/complete"));
        Assert.Equal(HttpStatusCode.NoContent, (await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease")).StatusCode);

        var resumed = await WorkforceClient.ReadAsync(await client.PostAsync($"/api/v1/agents/{agent.Id()}/resume"));

        Assert.False(resumed["draining"]!.GetValue<bool>());
        Assert.Equal(waiting.Id(), (await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"))).Id());
    }

    [Fact]
    public async Task An_agent_key_cannot_drain_another_agent()
    {
        using var client = await factory.NewTenantAsync();
        var one = await client.RegisterAsync("one");
        var other = await client.RegisterAsync("other");
        using var oneClient = factory.Client(one.Str("agentKey"));

        await WorkforceClient.ProblemAsync(await oneClient.PostAsync($"/api/v1/agents/{other.Id()}/drain"), HttpStatusCode.Forbidden);

        Assert.False((await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/agents/{other.Id()}")))["draining"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_empty_lease_is_204()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();

        var response = await client.PostAsync($"/api/v1/agents/{agent.Id()}/lease");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task A_long_poll_lease_returns_as_soon_as_a_task_arrives()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));

        var stopwatch = Stopwatch.StartNew();
        var lease = agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease?waitSeconds=20");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var submitted = await client.SubmitAsync(new { type = "wake-up" });
        var leased = await WorkforceClient.ReadAsync(await lease);

        Assert.Equal(submitted.Id(), leased.Id());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"The lease took {stopwatch.Elapsed} although a task arrived after 0.3 s.");
    }

    [Fact]
    public async Task A_long_poll_lease_with_nothing_to_do_ends_with_204_after_the_wait()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();

        var stopwatch = Stopwatch.StartNew();
        var response = await client.PostAsync($"/api/v1/agents/{agent.Id()}/lease?waitSeconds=1");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(0.9), $"The lease returned after {stopwatch.Elapsed}, before its wait.");
    }

    [Fact]
    public async Task A_lease_wait_over_thirty_seconds_is_400()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();

        var problem = await WorkforceClient.ProblemAsync(await client.PostAsync($"/api/v1/agents/{agent.Id()}/lease?waitSeconds=31"), HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]!["waitSeconds"]);
    }
}

public sealed class SqliteAgentsApiTests(WorkforceApiFactory factory) : AgentsApiTests(factory), IClassFixture<WorkforceApiFactory>;

public sealed class AzuriteAgentsApiTests(AzuriteApiFactory factory) : AgentsApiTests(factory), IClassFixture<AzuriteApiFactory>;
