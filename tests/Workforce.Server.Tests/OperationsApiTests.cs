using System.Net;
using System.Text.Json.Nodes;

namespace Workforce.Server.Tests;

/// <summary>The operations view: each task's lifecycle orchestration and the work queues, scoped to the tenant.</summary>
public abstract class OperationsApiTests(WorkforceApiFactory factory)
{
    [Fact]
    public async Task A_leased_task_gets_a_lifecycle_orchestration_that_finishes_with_it()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var task = await client.SubmitAsync(new { type = "watched" });
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        var instanceId = await Eventually(async () =>
            (await ListAsync(client, "status=running")).FirstOrDefault(i => i!["input"] is null && i.Str("instanceId").EndsWith(task.Id().ToString("N"), StringComparison.Ordinal))?.Str("instanceId"),
            "the lifecycle is running");

        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{task.Id()}/complete", new { result = 1 }));

        var finished = await Eventually(async () =>
        {
            var instance = await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/orchestrations/{instanceId}"));
            return instance.Str("status") == "completed" ? instance : null;
        }, "the lifecycle completed");
        Assert.Equal("TaskLifecycle", finished.Str("name"));
        Assert.Equal("completed", finished["output"]!.Str("state"));
        Assert.Equal("completed", finished["customStatus"]!.Str("state"));
        Assert.Equal(task.Id().ToString(), finished["input"]!.Str("taskId"));
        Assert.Contains(instanceId, (await ListAsync(client, "status=completed&type=TaskLifecycle")).Select(i => i!.Str("instanceId")));
    }

    [Fact]
    public async Task Another_tenants_orchestrations_and_the_platforms_jobs_are_invisible()
    {
        using var owner = await factory.NewTenantAsync();
        using var stranger = await factory.NewTenantAsync();
        var task = await owner.SubmitAsync(new { type = "private", deadline = DateTimeOffset.UtcNow.AddDays(1) });
        var instanceId = await Eventually(async () => (await ListAsync(owner, "")).FirstOrDefault()?.Str("instanceId"), "the lifecycle exists");

        Assert.DoesNotContain(task.Id().ToString("N"), string.Join(",", (await ListAsync(stranger, "")).Select(i => i!.Str("instanceId"))));
        await WorkforceClient.ProblemAsync(await stranger.GetAsync($"/api/v1/orchestrations/{instanceId}"), HttpStatusCode.NotFound);
        await WorkforceClient.ProblemAsync(await owner.GetAsync("/api/v1/orchestrations/platform:cleanup"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_queues_are_listed_with_the_tenants_counts()
    {
        using var client = await factory.NewTenantAsync();

        var queues = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/queues"));

        var items = queues["items"]!.AsArray();
        Assert.Equal(["tasks-critical", "tasks-high", "tasks-medium", "tasks-low", "notifications-critical", "notifications"], items.Select(q => q!.Str("name")));
        Assert.All(items, q => Assert.Equal(0, q!["deadLettered"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Bad_filters_and_agent_keys_are_refused()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));

        var problem = await WorkforceClient.ProblemAsync(await client.GetAsync("/api/v1/orchestrations?status=sleeping"), HttpStatusCode.BadRequest);
        Assert.Contains("continuedAsNew", problem["errors"]!["status"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await WorkforceClient.ProblemAsync(await agentClient.GetAsync("/api/v1/orchestrations"), HttpStatusCode.Forbidden);
        await WorkforceClient.ProblemAsync(await agentClient.GetAsync("/api/v1/queues"), HttpStatusCode.Forbidden);
    }

    private static async Task<JsonArray> ListAsync(WorkforceClient client, string query) =>
        (await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/orchestrations?{query}")))["items"]!.AsArray();

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        for (var i = 0; i < 200; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Never: {what}.");
    }
}

public sealed class SqliteOperationsApiTests(WorkforceApiFactory factory) : OperationsApiTests(factory), IClassFixture<WorkforceApiFactory>;

public sealed class AzuriteOperationsApiTests(AzuriteApiFactory factory) : OperationsApiTests(factory), IClassFixture<AzuriteApiFactory>;
