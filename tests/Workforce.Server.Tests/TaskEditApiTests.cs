using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Workforce.Server.Tests;

/// <summary>PATCH and DELETE of a task: what changes, in what order the queue then runs, and who may do it.</summary>
public abstract class TaskEditApiTests(WorkforceApiFactory factory)
{
    [Fact]
    public async Task A_merge_patch_changes_a_pending_tasks_fields_and_its_history_says_which()
    {
        using var client = await factory.NewTenantAsync();
        var deadline = DateTimeOffset.UtcNow.AddHours(2);
        var task = await client.SubmitAsync(new { type = "edit", payload = new { text = "old" }, requiredCapabilities = new[] { "nlp" }, deadline = DateTimeOffset.UtcNow.AddHours(1) });

        var response = await PatchAsync(client, task.Id(), $$"""{"priority":"critical","payload":{"text":"new"},"requiredCapabilities":null,"deadline":"{{deadline:O}}"}""");

        var patched = await WorkforceClient.ReadAsync(response);
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
        Assert.Equal("critical", patched.Str("priority"));
        Assert.Equal("new", patched["payload"]!["text"]!.GetValue<string>());
        Assert.Empty(patched["requiredCapabilities"]!.AsArray());
        Assert.Equal(deadline, patched["deadline"]!.GetValue<DateTimeOffset>());
        Assert.Equal("edit", patched.Str("type"));
        var read = await client.GetAsync($"/api/v1/tasks/{task.Id()}");
        Assert.Equal("\"2\"", read.Headers.ETag?.ToString());
        var step = (await WorkforceClient.ReadAsync(read))["history"]!.AsArray()[^1]!;
        Assert.Equal(("pending", "pending", 2), (step.Str("from"), step.Str("to"), step["revision"]!.GetValue<int>()));
        Assert.Equal("Changed priority medium → critical, payload, requiredCapabilities, deadline.", step.Str("reason"));
    }

    [Fact]
    public async Task A_patch_that_leaves_members_out_keeps_them_and_application_json_reads_the_same()
    {
        using var client = await factory.NewTenantAsync();
        var task = await client.SubmitAsync(new { type = "edit", priority = "high", payload = new { keep = true } });

        var patched = await WorkforceClient.ReadAsync(await PatchAsync(client, task.Id(), """{"requiredCapabilities":["GPU"]}""", "application/json"));

        Assert.Equal("high", patched.Str("priority"));
        Assert.True(patched["payload"]!["keep"]!.GetValue<bool>());
        Assert.Equal("gpu", patched["requiredCapabilities"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_changed_priority_puts_the_task_at_the_end_of_that_prioritys_line()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var first = await client.SubmitAsync(new { type = "line", priority = "high" });
        var moved = await client.SubmitAsync(new { type = "line", priority = "low" });
        var second = await client.SubmitAsync(new { type = "line", priority = "high" });
        var unchanged = await client.SubmitAsync(new { type = "line", priority = "high" });
        await WorkforceClient.ReadAsync(await PatchAsync(client, moved.Id(), """{"priority":"high"}"""));
        // Same priority: a change of payload keeps the task's place.
        await WorkforceClient.ReadAsync(await PatchAsync(client, second.Id(), """{"payload":{"n":2}}"""));
        var later = await client.SubmitAsync(new { type = "line", priority = "high" });

        var order = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
            order.Add(leased.Id());
            await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{leased.Id()}/complete"));
        }

        Assert.Equal([first.Id(), second.Id(), unchanged.Id(), moved.Id(), later.Id()], order);
    }

    [Fact]
    public async Task Only_a_pending_task_can_change()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var task = await client.SubmitAsync(new { type = "held" });
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));

        var problem = await WorkforceClient.ProblemAsync(await PatchAsync(client, task.Id(), """{"priority":"high"}"""), HttpStatusCode.Conflict);

        Assert.Contains("only a pending task can be changed", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("medium", (await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/tasks/{task.Id()}"))).Str("priority"));
    }

    [Fact]
    public async Task If_Match_with_a_revision_the_task_has_left_is_refused_with_412()
    {
        using var client = await factory.NewTenantAsync();
        var task = await client.SubmitAsync(new { type = "racy" });
        await WorkforceClient.ReadAsync(await PatchAsync(client, task.Id(), """{"priority":"low"}""", ifMatch: "\"1\""));

        var stale = await WorkforceClient.ProblemAsync(await PatchAsync(client, task.Id(), """{"priority":"high"}""", ifMatch: "\"1\""), HttpStatusCode.PreconditionFailed);
        await WorkforceClient.ProblemAsync(await DeleteAsync(client, task.Id(), ifMatch: "\"1\""), HttpStatusCode.PreconditionFailed);
        await WorkforceClient.ProblemAsync(await PatchAsync(client, task.Id(), """{"priority":"high"}""", ifMatch: "W/\"2\""), HttpStatusCode.BadRequest);

        Assert.Contains("revision 2", stale.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("low", (await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/tasks/{task.Id()}"))).Str("priority"));
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(client, task.Id(), ifMatch: "\"2\"")).StatusCode);
    }

    [Fact]
    public async Task A_patch_is_checked_as_a_submission_is_and_may_not_touch_other_members()
    {
        using var client = await factory.NewTenantAsync();
        var task = await client.SubmitAsync(new { type = "checked" });
        string[] bodies = ["""{"priority":"urgent"}""", """{"deadline":"2001-01-01T00:00:00Z"}""", """{"requiredCapabilities":[""]}"""];

        foreach (var body in bodies)
        {
            var submitted = await WorkforceClient.ProblemAsync(await client.PostRawAsync("/api/v1/tasks", body.Insert(1, "\"type\":\"checked\",")), HttpStatusCode.BadRequest);
            var patched = await WorkforceClient.ProblemAsync(await PatchAsync(client, task.Id(), body), HttpStatusCode.BadRequest);
            Assert.Equal(submitted["errors"]!.ToJsonString(), patched["errors"]!.ToJsonString());
        }

        var other = await WorkforceClient.ProblemAsync(await PatchAsync(client, task.Id(), """{"type":"other","maxRetries":1}"""), HttpStatusCode.BadRequest);
        Assert.Contains("type cannot be changed", other["errors"]!["type"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(other["errors"]!["maxRetries"]);
        var removed = await WorkforceClient.ProblemAsync(await PatchAsync(client, task.Id(), """{"priority":null}"""), HttpStatusCode.BadRequest);
        Assert.NotNull(removed["errors"]!["priority"]);
        var big = await WorkforceClient.ProblemAsync(
            await PatchAsync(client, task.Id(), $$"""{"payload":"{{new string('x', 257 * 1024)}}"}"""), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("the limit is 256 KiB", big.Str("detail"), StringComparison.Ordinal);
        Assert.Single((await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/tasks/{task.Id()}")))["history"]!.AsArray());
    }

    [Fact]
    public async Task Deleting_a_finished_task_removes_its_record()
    {
        using var client = await factory.NewTenantAsync();
        var task = await client.SubmitAsync(new { type = "done" });
        await WorkforceClient.ReadAsync(await client.PostAsync($"/api/v1/tasks/{task.Id()}/cancel"));

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(client, task.Id())).StatusCode);

        await WorkforceClient.ProblemAsync(await client.GetAsync($"/api/v1/tasks/{task.Id()}"), HttpStatusCode.NotFound);
        await WorkforceClient.ProblemAsync(await DeleteAsync(client, task.Id()), HttpStatusCode.NotFound);
        var list = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/tasks"));
        Assert.DoesNotContain(list["items"]!.AsArray(), t => t!.Id() == task.Id());
    }

    [Fact]
    public async Task Deleting_a_running_task_cancels_it_first_frees_its_agent_and_ends_its_workflow()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var task = await client.PostAsync("/api/v1/tasks", new { type = "doomed" }, new Dictionary<string, string> { ["Idempotency-Key"] = "doomed-1" });
        var id = (await WorkforceClient.ReadAsync(task, HttpStatusCode.Accepted)).Id();
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{id}/start"));
        // Its workflow is started from the work queue; a task deleted before that never gets one.
        await LifecycleAsync(client, id, status => status == "running");

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(client, id)).StatusCode);

        Assert.Equal(0, (await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/agents/{agent.Id()}")))["activeTasks"]!.GetValue<int>());
        await WorkforceClient.ProblemAsync(await agentClient.PostAsync($"/api/v1/tasks/{id}/complete"), HttpStatusCode.NotFound);
        // The key stays taken: a replayed submission does not bring the task back.
        await WorkforceClient.ProblemAsync(
            await client.PostAsync("/api/v1/tasks", new { type = "doomed" }, new Dictionary<string, string> { ["Idempotency-Key"] = "doomed-1" }), HttpStatusCode.Conflict);
        await LifecycleAsync(client, id, status => status is "completed" or "terminated");
        await WorkforceClient.ProblemAsync(await client.GetAsync($"/api/v1/tasks/{id}"), HttpStatusCode.NotFound);
    }

    private static Task<JsonObject> LifecycleAsync(WorkforceClient client, Guid taskId, Func<string, bool> status) => EventuallyAsync(async () =>
    {
        var items = (await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/orchestrations?type=TaskLifecycle")))["items"]!.AsArray();
        return items.FirstOrDefault(i => i!.Str("instanceId").EndsWith(taskId.ToString("N"), StringComparison.Ordinal) && status(i!.Str("status"))) as JsonObject;
    }, "the task's lifecycle reached the expected status");

    [Fact]
    public async Task An_agent_key_may_not_change_or_delete_and_another_tenant_finds_nothing()
    {
        using var owner = await factory.NewTenantAsync();
        using var stranger = await factory.NewTenantAsync();
        var agent = await owner.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var task = await owner.SubmitAsync(new { type = "mine" });

        await WorkforceClient.ProblemAsync(await PatchAsync(agentClient, task.Id(), """{"priority":"high"}"""), HttpStatusCode.Forbidden);
        await WorkforceClient.ProblemAsync(await DeleteAsync(agentClient, task.Id()), HttpStatusCode.Forbidden);
        await WorkforceClient.ProblemAsync(await PatchAsync(stranger, task.Id(), """{"priority":"high"}"""), HttpStatusCode.NotFound);
        await WorkforceClient.ProblemAsync(await DeleteAsync(stranger, task.Id()), HttpStatusCode.NotFound);

        var read = await WorkforceClient.ReadAsync(await owner.GetAsync($"/api/v1/tasks/{task.Id()}"));
        Assert.Equal(("medium", 1), (read.Str("priority"), read["history"]!.AsArray().Count));
    }

    [Fact]
    public async Task Patch_and_delete_are_audited_refusals_included()
    {
        using var client = await factory.NewTenantAsync();
        var task = await client.SubmitAsync(new { type = "audited" });
        await WorkforceClient.ReadAsync(await PatchAsync(client, task.Id(), """{"priority":"low"}"""));
        await WorkforceClient.ProblemAsync(await PatchAsync(client, task.Id(), """{"priority":"high"}""", ifMatch: "\"1\""), HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(client, task.Id())).StatusCode);

        var entries = await EventuallyAsync(async () =>
        {
            var items = (await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/audit")))["items"]!.AsArray();
            return items.Count >= 4 ? items : null;
        }, "the audit entries are in");

        Assert.Equal(
            [("DELETE v1/tasks/{id}", 204), ("PATCH v1/tasks/{id}", 412), ("PATCH v1/tasks/{id}", 200), ("POST v1/tasks", 202)],
            entries.Select(e => (e!.Str("action"), e!["status"]!.GetValue<int>())));
        Assert.All(entries.Take(3), e => Assert.Equal($"id={task.Id()}", e!.Str("target")));
    }

    private static Task<HttpResponseMessage> PatchAsync(WorkforceClient client, Guid id, string body, string contentType = "application/merge-patch+json", string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/tasks/{id}") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.Http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> DeleteAsync(WorkforceClient client, Guid id, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/tasks/{id}");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.Http.SendAsync(request);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Never: {what}.");
    }
}

public sealed class SqliteTaskEditApiTests(WorkforceApiFactory factory) : TaskEditApiTests(factory), IClassFixture<WorkforceApiFactory>;

public sealed class AzuriteTaskEditApiTests(AzuriteApiFactory factory) : TaskEditApiTests(factory), IClassFixture<AzuriteApiFactory>;
