using System.Net;

namespace Workforce.Server.Tests;

public abstract class TasksApiTests(WorkforceApiFactory factory)
{
    [Fact]
    public async Task Submission_is_accepted_with_a_location()
    {
        using var client = await factory.NewTenantAsync();

        var response = await client.PostAsync("/api/v1/tasks", new { type = "summarize", payload = new { text = "hi" }, requiredCapabilities = new[] { "nlp" } });

        var task = await WorkforceClient.ReadAsync(response, HttpStatusCode.Accepted);
        Assert.Equal($"/api/v1/tasks/{task.Id()}", response.Headers.Location?.OriginalString);
        var fetched = await WorkforceClient.ReadAsync(await client.GetAsync(response.Headers.Location!.OriginalString));
        Assert.Equal("summarize", fetched.Str("type"));
        Assert.Equal("medium", fetched.Str("priority"));
        Assert.Equal(300, fetched["timeoutSeconds"]!.GetValue<int>());
        Assert.Equal("nlp", fetched["requiredCapabilities"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task The_full_lifecycle_runs_through_the_api()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync(capabilities: ["nlp"]);
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var submitted = await client.SubmitAsync(new { type = "translate", requiredCapabilities = new[] { "nlp" } });

        var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        Assert.Equal(submitted.Id(), leased.Id());
        Assert.Equal("assigned", leased.Str("state"));
        Assert.Equal(agent.Id().ToString(), leased.Str("assignedAgentId"));

        var running = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{leased.Id()}/start"));
        Assert.Equal("running", running.Str("state"));

        var completed = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{leased.Id()}/complete", new { result = new { text = "hallo" } }));
        Assert.Equal("completed", completed.Str("state"));
        Assert.Equal("hallo", completed["result"]!["text"]!.GetValue<string>());
        Assert.NotNull(completed["completedAt"]);

        var agentAfter = await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/agents/{agent.Id()}"));
        Assert.Equal(0, agentAfter["activeTasks"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_task_read_alone_carries_its_state_changes_oldest_first()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var task = await client.SubmitAsync(new { type = "audited" });
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{task.Id()}/fail", new { error = "flaky", retryable = true }));

        var read = await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/tasks/{task.Id()}"));
        var history = read["history"]!.AsArray();

        Assert.Equal(["pending", "assigned", "pending"], history.Select(step => step!.Str("to")));
        Assert.Null(history[0]!["from"]);
        Assert.Equal(("flaky", agent.Str("id")), (history[2]!.Str("reason"), history[2]!.Str("agentId")));
        var listed = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/tasks"));
        Assert.False(listed["items"]![0]!.AsObject().ContainsKey("history"));
    }

    [Fact]
    public async Task A_retryable_failure_returns_the_task_to_pending_with_a_backoff()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        await client.SubmitAsync(new { type = "flaky", maxRetries = 1 });
        var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));

        var retried = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{leased.Id()}/fail", new { error = "GPU out of memory" }));

        Assert.Equal("pending", retried.Str("state"));
        Assert.Equal("GPU out of memory", retried.Str("error"));
        var nextAttempt = DateTimeOffset.Parse(retried.Str("nextAttemptAt"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(nextAttempt - DateTimeOffset.Parse(retried.Str("updatedAt"), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.NoContent, (await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease")).StatusCode);
    }

    [Fact]
    public async Task A_non_retryable_failure_is_final()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        await client.SubmitAsync(new { type = "doomed" });
        var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));

        var failed = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{leased.Id()}/fail", new { error = "bad input", retryable = false }));

        Assert.Equal("failed", failed.Str("state"));
    }

    [Fact]
    public async Task Retrying_a_failed_task_submits_a_copy_with_its_own_location()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var original = await client.SubmitAsync(new { type = "render", priority = "high", payload = new { frame = 7 }, maxRetries = 0 });
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{original.Id()}/fail", new { error = "crashed" }));

        var response = await client.PostAsync($"/api/v1/tasks/{original.Id()}/retry");

        var copy = await WorkforceClient.ReadAsync(response, HttpStatusCode.Accepted);
        Assert.NotEqual(original.Id(), copy.Id());
        Assert.Equal(original.Str("id"), copy.Str("retryOf"));
        Assert.Equal($"/api/v1/tasks/{copy.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(("pending", "render", "high", 7), (copy.Str("state"), copy.Str("type"), copy.Str("priority"), copy["payload"]!["frame"]!.GetValue<int>()));
        Assert.Equal("failed", (await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/tasks/{original.Id()}"))).Str("state"));
    }

    [Fact]
    public async Task Retrying_a_task_that_has_not_ended_is_409_and_submits_nothing()
    {
        using var client = await factory.NewTenantAsync();
        var task = await client.SubmitAsync(new { type = "x" });

        var problem = await WorkforceClient.ProblemAsync(await client.PostAsync($"/api/v1/tasks/{task.Id()}/retry"), HttpStatusCode.Conflict);

        Assert.Contains("only a failed or cancelled task", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Single((await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/tasks")))["items"]!.AsArray());
    }

    [Fact]
    public async Task An_illegal_transition_is_409()
    {
        using var client = await factory.NewTenantAsync();
        var task = await client.SubmitAsync(new { type = "x" });
        await WorkforceClient.ReadAsync(await client.PostAsync($"/api/v1/tasks/{task.Id()}/cancel"));

        var problem = await WorkforceClient.ProblemAsync(await client.PostAsync($"/api/v1/tasks/{task.Id()}/start"), HttpStatusCode.Conflict);

        Assert.Contains("cancelled", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_errors_name_every_bad_field()
    {
        using var client = await factory.NewTenantAsync();

        var problem = await WorkforceClient.ProblemAsync(
            await client.PostAsync("/api/v1/tasks", new { type = "", timeoutSeconds = 0, maxRetries = 11 }), HttpStatusCode.BadRequest);

        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["maxRetries", "timeoutSeconds", "type"], errors.Select(e => e.Key).Order());
    }

    [Fact]
    public async Task An_unknown_priority_names_the_accepted_ones()
    {
        using var client = await factory.NewTenantAsync();

        var problem = await WorkforceClient.ProblemAsync(await client.PostAsync("/api/v1/tasks", new { type = "x", priority = "urgent" }), HttpStatusCode.BadRequest);

        Assert.Equal("Use one of: low, medium, high, critical.", problem["errors"]!["priority"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        using var client = await factory.NewTenantAsync();

        await WorkforceClient.ProblemAsync(await client.PostRawAsync("/api/v1/tasks", "{\"type\": "), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        using var client = await factory.NewTenantAsync();
        var huge = new string('x', 600 * 1024);

        await WorkforceClient.ProblemAsync(await client.PostAsync("/api/v1/tasks", new { type = "x", payload = huge }), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_payload_over_256_KiB_is_413()
    {
        using var client = await factory.NewTenantAsync();
        var large = new string('x', 300 * 1024);

        var problem = await WorkforceClient.ProblemAsync(await client.PostAsync("/api/v1/tasks", new { type = "x", payload = large }), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("256 KiB", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_task()
    {
        using var client = await factory.NewTenantAsync();
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "invoice-7" };

        var first = await client.PostAsync("/api/v1/tasks", new { type = "bill" }, headers);
        var second = await client.PostAsync("/api/v1/tasks", new { type = "bill" }, headers);
        var different = await client.PostAsync("/api/v1/tasks", new { type = "refund" }, headers);

        var firstTask = await WorkforceClient.ReadAsync(first, HttpStatusCode.Accepted);
        var secondTask = await WorkforceClient.ReadAsync(second, HttpStatusCode.Accepted);
        Assert.Equal(firstTask.Id(), secondTask.Id());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        await WorkforceClient.ProblemAsync(different, HttpStatusCode.UnprocessableEntity);
        var all = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/tasks"));
        Assert.Single(all["items"]!.AsArray());
    }

    [Fact]
    public async Task Lists_filter_and_page_with_cursors()
    {
        using var client = await factory.NewTenantAsync();
        for (var i = 0; i < 5; i++)
        {
            await client.SubmitAsync(new { type = $"job-{i}", priority = i % 2 == 0 ? "high" : "low" });
        }

        var types = new List<string>();
        string? cursor = null;
        do
        {
            var page = await WorkforceClient.ReadAsync(await client.GetAsync($"/api/v1/tasks?priority=high&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}"));
            types.AddRange(page["items"]!.AsArray().Select(t => t!.Str("type")));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(["job-4", "job-2", "job-0"], types);
    }

    [Theory]
    [InlineData("state=sleeping", "state")]
    [InlineData("priority=urgent", "priority")]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=bogus", "cursor")]
    public async Task Bad_list_parameters_are_400_with_the_field(string query, string field)
    {
        using var client = await factory.NewTenantAsync();

        var problem = await WorkforceClient.ProblemAsync(await client.GetAsync($"/api/v1/tasks?{query}"), HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task A_full_queue_is_429_with_retry_after()
    {
        await using var small = factory.With(new Dictionary<string, string?> { ["Workforce:Tasks:MaxPendingPerTenant"] = "2" });
        using var client = small.Tenant();
        await client.SubmitAsync(new { type = "1" });
        await client.SubmitAsync(new { type = "2" });

        var response = await client.PostAsync("/api/v1/tasks", new { type = "3" });

        await WorkforceClient.ProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task An_unknown_task_is_404()
    {
        using var client = await factory.NewTenantAsync();

        await WorkforceClient.ProblemAsync(await client.GetAsync($"/api/v1/tasks/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Complete_accepts_an_empty_body()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        await client.SubmitAsync(new { type = "x" });
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));

        var completed = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{leased.Id()}/complete"));

        Assert.Equal("completed", completed.Str("state"));
        Assert.Null(completed["result"]);
    }
}

public sealed class SqliteTasksApiTests(WorkforceApiFactory factory) : TasksApiTests(factory), IClassFixture<WorkforceApiFactory>;

public sealed class AzuriteTasksApiTests(AzuriteApiFactory factory) : TasksApiTests(factory), IClassFixture<AzuriteApiFactory>;
