using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Tasks;

public sealed class SubmitTaskTests
{
    private readonly Platform _platform = new();

    [Fact]
    public async Task A_submitted_task_is_pending_with_the_defaults()
    {
        var task = await _platform.SubmitAsync("echo");

        Assert.Equal(TaskState.Pending, task.State);
        Assert.Equal(TaskPriority.Medium, task.Priority);
        Assert.Equal(300, task.TimeoutSeconds);
        Assert.Equal(3, task.MaxRetries);
        Assert.Equal(0, task.Attempt);
        Assert.Equal(_platform.Clock.GetUtcNow(), task.CreatedAt);
        Assert.NotNull(await _platform.Store.FindTaskAsync(Platform.TenantId, task.Id));
    }

    [Fact]
    public async Task Capabilities_are_normalized_to_lower_case_distinct_names()
    {
        var task = await _platform.SubmitAsync(capabilities: [" GPU", "gpu", "Python "]);

        Assert.Equal(["gpu", "python"], task.RequiredCapabilities);
    }

    [Fact]
    public async Task Invalid_fields_are_all_reported_at_once()
    {
        var command = new SubmitTaskCommand("", TimeoutSeconds: 0, MaxRetries: 11, Deadline: _platform.Clock.GetUtcNow().AddSeconds(-1), RequiredCapabilities: [""]);

        var outcome = await _platform.Submit.ExecuteAsync(Platform.Tenant, command);

        Assert.Equal(FailureKind.Invalid, outcome.Failure?.Kind);
        Assert.Equal(["deadline", "maxRetries", "requiredCapabilities", "timeoutSeconds", "type"], outcome.Failure!.Errors!.Keys.Order());
        Assert.Empty((await _platform.Store.ListTasksAsync(Platform.TenantId, new(), new(10, null))).Items);
    }

    [Fact]
    public async Task A_payload_over_256_KiB_is_too_large()
    {
        var payload = new RawJson($"\"{new string('x', WorkTask.MaxPayloadBytes)}\"");

        var outcome = await _platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand("big", Payload: payload));

        Assert.Equal(FailureKind.TooLarge, outcome.Failure?.Kind);
    }

    [Fact]
    public async Task Submission_beyond_the_pending_limit_is_refused_with_a_retry_hint()
    {
        var platform = new Platform(new TaskOptions { MaxPendingPerTenant = 2, QueueFullRetryAfter = TimeSpan.FromSeconds(7) });
        await platform.SubmitAsync();
        await platform.SubmitAsync();

        var outcome = await platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand("third"));

        Assert.Equal(FailureKind.QueueFull, outcome.Failure?.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), outcome.Failure?.RetryAfter);
    }

    [Fact]
    public async Task Leased_tasks_no_longer_count_against_the_pending_limit()
    {
        var platform = new Platform(new TaskOptions { MaxPendingPerTenant = 1 });
        await platform.SubmitAsync();
        await platform.LeaseAsync(await platform.RegisterAsync());

        var outcome = await platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand("next"));

        Assert.True(outcome.Succeeded);
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_task()
    {
        var command = new SubmitTaskCommand("once", Payload: new RawJson("{\"n\":1}"));

        var first = await _platform.Submit.ExecuteAsync(Platform.Tenant, command, "key-1");
        var second = await _platform.Submit.ExecuteAsync(Platform.Tenant, command, "key-1");

        Assert.False(first.Value!.Replayed);
        Assert.True(second.Value!.Replayed);
        Assert.Equal(first.Value.Task.Id, second.Value.Task.Id);
        Assert.Single((await _platform.Store.ListTasksAsync(Platform.TenantId, new(), new(10, null))).Items);
    }

    [Fact]
    public async Task An_idempotency_key_reused_for_a_different_request_is_refused()
    {
        await _platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand("a"), "key-1");

        var outcome = await _platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand("b"), "key-1");

        Assert.Equal(FailureKind.Unprocessable, outcome.Failure?.Kind);
    }

    [Fact]
    public async Task An_idempotency_key_expires_after_its_window()
    {
        var command = new SubmitTaskCommand("daily");
        var first = await _platform.Submit.ExecuteAsync(Platform.Tenant, command, "key-1");

        _platform.Clock.Advance(TimeSpan.FromHours(24));
        var second = await _platform.Submit.ExecuteAsync(Platform.Tenant, command, "key-1");

        Assert.NotEqual(first.Value!.Task.Id, second.Value!.Task.Id);
    }

    [Fact]
    public async Task An_agent_key_cannot_submit_tasks()
    {
        var agent = await _platform.RegisterAsync();

        var outcome = await _platform.Submit.ExecuteAsync(Platform.AgentCaller(agent), new SubmitTaskCommand("x"));

        Assert.Equal(FailureKind.Forbidden, outcome.Failure?.Kind);
    }
}
