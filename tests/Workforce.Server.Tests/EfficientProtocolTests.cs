using System.Net;
using System.Text.Json.Nodes;

namespace Workforce.Server.Tests;

/// <summary>The protocol of fewer round trips: batch leases, complete or fail with next, and batch submissions.</summary>
public abstract class EfficientProtocolTests(WorkforceApiFactory factory)
{
    [Fact]
    public async Task A_batch_lease_hands_out_up_to_max_tasks_in_priority_then_submission_order()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync(capabilities: ["nlp"], capacity: 5);
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var low = await client.SubmitAsync(new { type = "low", priority = "low" });
        var first = await client.SubmitAsync(new { type = "first" });
        await client.SubmitAsync(new { type = "needs-gpu", priority = "critical", requiredCapabilities = new[] { "gpu" } });
        var second = await client.SubmitAsync(new { type = "second", requiredCapabilities = new[] { "nlp" } });
        var urgent = await client.SubmitAsync(new { type = "urgent", priority = "high" });

        var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease?max=3"));

        var items = leased["items"]!.AsArray();
        Assert.Equal([urgent.Id(), first.Id(), second.Id()], items.Select(i => i!.Id()));
        Assert.All(items, i => Assert.Equal("assigned", i!.Str("state")));
        var agentAfter = await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/agents/{agent.Id()}"));
        Assert.Equal(3, agentAfter["activeTasks"]!.GetValue<int>());
        var rest = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease?max=2"));
        Assert.Equal([low.Id()], rest["items"]!.AsArray().Select(i => i!.Id()));
    }

    [Fact]
    public async Task A_batch_lease_with_start_hands_out_running_tasks_with_both_steps_in_their_history()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync(capacity: 2);
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var task = await client.SubmitAsync(new { type = "x" });

        var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease?max=2&start=true"));

        var only = Assert.Single(leased["items"]!.AsArray())!;
        Assert.Equal(("running", task.Id()), (only.Str("state"), only.Id()));
        var read = await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/tasks/{task.Id()}"));
        Assert.Equal(["pending", "assigned", "running"], read["history"]!.AsArray().Select(step => step!.Str("to")));
    }

    [Fact]
    public async Task A_batch_lease_with_nothing_to_lease_is_204()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync(capacity: 3);
        using var agentClient = factory.Client(agent.Str("agentKey"));

        var response = await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease?max=3&waitSeconds=0");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(101)]
    public async Task A_max_outside_one_to_the_free_slots_is_a_400_saying_why(int max)
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync(capacity: 2);
        using var agentClient = factory.Client(agent.Str("agentKey"));
        await client.SubmitAsync(new { type = "x" });

        var problem = await WorkforceClient.ProblemAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease?max={max}"), HttpStatusCode.BadRequest);

        Assert.Contains("max must be between 1 and", problem.Str("detail"), StringComparison.Ordinal);
        Assert.NotNull(problem["errors"]!["max"]);
        var tasks = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/tasks?state=pending"));
        Assert.Single(tasks["items"]!.AsArray());
    }

    [Fact]
    public async Task Complete_with_next_returns_the_outcome_and_the_next_tasks_started()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync(capacity: 2);
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var tasks = new List<JsonObject>();
        for (var i = 0; i < 4; i++)
        {
            tasks.Add(await client.SubmitAsync(new { type = $"t{i}" }));
        }

        var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease?max=2&start=true"));
        var held = leased["items"]!.AsArray().Select(i => i!.Id()).ToList();

        var answer = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{held[0]}/complete?next=5&start=true", new { result = 1 }));

        Assert.Equal(("completed", held[0]), (answer["task"]!.Str("state"), answer["task"]!.Id()));
        var next = Assert.Single(answer["next"]!.AsArray())!; // one slot was freed
        Assert.Equal((tasks[2].Id(), "running"), (next.Id(), next.Str("state")));
        var agentAfter = await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/agents/{agent.Id()}"));
        Assert.Equal(2, agentAfter["activeTasks"]!.GetValue<int>());
    }

    [Fact]
    public async Task Fail_with_next_returns_the_outcome_and_an_empty_next_when_nothing_waits()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var task = await client.SubmitAsync(new { type = "x", maxRetries = 0 });
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));

        var answer = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{task.Id()}/fail?next=1", new { error = "broken" }));

        Assert.Equal("failed", answer["task"]!.Str("state"));
        Assert.Empty(answer["next"]!.AsArray());
    }

    [Fact]
    public async Task Without_max_or_next_the_v1_calls_answer_as_before()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync(capacity: 2);
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var task = await client.SubmitAsync(new { type = "x" });

        var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        var completed = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{task.Id()}/complete"));

        Assert.Equal((task.Id(), "assigned"), (leased.Id(), leased.Str("state")));
        Assert.Equal((task.Id(), "completed"), (completed.Id(), completed.Str("state")));
        Assert.False(completed.ContainsKey("next"));
    }

    [Fact]
    public async Task A_batch_submission_answers_every_item_in_request_order()
    {
        using var client = await factory.NewTenantAsync();

        var response = await client.PostAsync("/api/v1/tasks/batch", new
        {
            tasks = new object[]
            {
                new { type = "a", priority = "high", idempotencyKey = "k-1" },
                new { type = "" },
                new { type = "a", priority = "high", idempotencyKey = "k-1" },
                new { type = "c", payload = new { n = 3 } },
            },
        });

        var items = (await WorkforceClient.ReadAsync(response, HttpStatusCode.Accepted))["items"]!.AsArray();
        Assert.Equal([202, 400, 202, 202], items.Select(i => i!["status"]!.GetValue<int>()));
        Assert.Equal(items[0]!["task"]!.Id(), items[2]!["task"]!.Id());
        Assert.True(items[2]!["replayed"]!.GetValue<bool>());
        Assert.NotNull(items[1]!["problem"]!["errors"]!["type"]);
        var stored = await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/tasks/{items[3]!["task"]!.Id()}"));
        Assert.Equal(3, stored["payload"]!["n"]!.GetValue<int>());
        var all = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/tasks"));
        Assert.Equal(2, all["items"]!.AsArray().Count);
        var replay = await client.PostAsync("/api/v1/tasks", new { type = "a", priority = "high" }, new Dictionary<string, string> { ["Idempotency-Key"] = "k-1" });
        Assert.Equal(items[0]!["task"]!.Id(), (await WorkforceClient.ReadAsync(replay, HttpStatusCode.Accepted)).Id());
    }

    [Fact]
    public async Task A_batch_submission_holds_each_item_to_the_queue_limit()
    {
        await using var small = factory.With(new Dictionary<string, string?> { ["Workforce:Tasks:MaxPendingPerTenant"] = "2" });
        using var client = small.Tenant();
        await client.SubmitAsync(new { type = "already" });

        var response = await client.PostAsync("/api/v1/tasks/batch", new { tasks = new[] { new { type = "1" }, new { type = "2" }, new { type = "3" } } });

        var items = (await WorkforceClient.ReadAsync(response, HttpStatusCode.Accepted))["items"]!.AsArray();
        Assert.Equal([202, 429, 429], items.Select(i => i!["status"]!.GetValue<int>()));
        Assert.Equal(5, items[1]!["problem"]!["retryAfter"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    public async Task A_batch_of_no_tasks_or_more_than_500_is_a_400(int count)
    {
        using var client = await factory.NewTenantAsync();

        var response = await client.PostAsync("/api/v1/tasks/batch", new { tasks = Enumerable.Range(0, count).Select(i => new { type = "t" }).ToArray() });

        var problem = await WorkforceClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["tasks"]);
    }
}

public sealed class SqliteEfficientProtocolTests(WorkforceApiFactory factory) : EfficientProtocolTests(factory), IClassFixture<WorkforceApiFactory>;

public sealed class AzuriteEfficientProtocolTests(AzuriteApiFactory factory) : EfficientProtocolTests(factory), IClassFixture<AzuriteApiFactory>;

/// <summary>Quotas count the items of a batch accepted before each one.</summary>
public abstract class BatchQuotaTests(MeteredApiFactory factory)
{
    [Fact]
    public async Task A_batch_past_the_task_quota_accepts_up_to_it_and_refuses_the_rest_naming_the_meter()
    {
        using var client = await factory.NewTenantAsync();

        var response = await client.PostAsync("/api/v1/tasks/batch", new { tasks = Enumerable.Range(0, MeteredApiFactory.FreeTasks + 2).Select(i => new { type = "work" }).ToArray() });

        var items = (await WorkforceClient.ReadAsync(response, HttpStatusCode.Accepted))["items"]!.AsArray();
        Assert.Equal(MeteredApiFactory.FreeTasks, items.Count(i => i!["status"]!.GetValue<int>() == 202));
        var refused = items[MeteredApiFactory.FreeTasks]!["problem"]!;
        Assert.Equal((429, "tasks"), (refused["status"]!.GetValue<int>(), refused.Str("meter")));
        Assert.EndsWith("quota-exceeded", refused.Str("type"), StringComparison.Ordinal);
        var usage = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/usage"));
        Assert.Equal(MeteredApiFactory.FreeTasks, usage["meters"]!["tasks"]!["used"]!.GetValue<decimal>());
    }
}

public sealed class SqliteBatchQuotaTests(MeteredApiFactory factory) : BatchQuotaTests(factory), IClassFixture<MeteredApiFactory>;

public sealed class AzuriteBatchQuotaTests(AzuriteMeteredApiFactory factory) : BatchQuotaTests(factory), IClassFixture<AzuriteMeteredApiFactory>;
