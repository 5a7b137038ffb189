using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Tasks;

public sealed class RetryTaskTests
{
    private readonly Platform _platform = new();

    [Fact]
    public async Task Retrying_a_failed_task_submits_the_same_work_as_a_new_task()
    {
        var original = (await _platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand(
            "render", TaskPriority.High, new RawJson("""{"frame":7}"""), ["gpu"], TimeoutSeconds: 60, MaxRetries: 0))).Value!.Task;
        var agent = await _platform.RegisterAsync(["gpu"]);
        await _platform.LeaseAsync(agent);
        await _platform.Move.FailAsync(Platform.AgentCaller(agent), original.Id, new FailTaskCommand("out of memory", Retryable: false));

        var retried = (await _platform.Retry.ExecuteAsync(Platform.Tenant, original.Id)).Value!.Task;

        Assert.NotEqual(original.Id, retried.Id);
        Assert.Equal(original.Id, retried.RetryOf);
        Assert.Equal(TaskState.Pending, retried.State);
        Assert.Equal(0, retried.Attempt);
        Assert.Equal((original.Type, original.Priority, original.Payload?.Text, original.TimeoutSeconds, original.MaxRetries),
            (retried.Type, retried.Priority, retried.Payload?.Text, retried.TimeoutSeconds, retried.MaxRetries));
        Assert.Equal(original.RequiredCapabilities, retried.RequiredCapabilities);
        Assert.Equal(TaskState.Failed, (await _platform.Store.FindTaskAsync(Platform.TenantId, original.Id))?.State);
        Assert.Equal(retried.Id, (await _platform.LeaseAsync(agent))?.Id);
    }

    [Fact]
    public async Task A_cancelled_task_can_be_retried()
    {
        var original = await _platform.SubmitAsync();
        await _platform.Move.CancelAsync(Platform.Tenant, original.Id);

        var outcome = await _platform.Retry.ExecuteAsync(Platform.Tenant, original.Id);

        Assert.Equal(TaskState.Pending, outcome.Value?.Task.State);
    }

    [Fact]
    public async Task A_task_still_in_progress_cannot_be_retried()
    {
        var original = await _platform.SubmitAsync();

        var outcome = await _platform.Retry.ExecuteAsync(Platform.Tenant, original.Id);

        Assert.Equal(FailureKind.Conflict, outcome.Failure?.Kind);
        Assert.Contains("pending", outcome.Failure!.Detail, StringComparison.Ordinal);
        var agent = await _platform.RegisterAsync(capacity: 2);
        Assert.Equal(original.Id, (await _platform.LeaseAsync(agent))?.Id);
        Assert.Null(await _platform.LeaseAsync(agent));
    }

    [Fact]
    public async Task A_task_whose_deadline_passed_cannot_be_retried()
    {
        var deadline = _platform.Clock.GetUtcNow().AddMinutes(1);
        var original = (await _platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand("work", Deadline: deadline))).Value!.Task;
        await _platform.Move.CancelAsync(Platform.Tenant, original.Id);
        _platform.Clock.Advance(TimeSpan.FromMinutes(2));

        var outcome = await _platform.Retry.ExecuteAsync(Platform.Tenant, original.Id);

        Assert.Equal(FailureKind.Conflict, outcome.Failure?.Kind);
        Assert.Contains("deadline", outcome.Failure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_idempotency_key_retries_only_once()
    {
        var original = await _platform.SubmitAsync();
        await _platform.Move.CancelAsync(Platform.Tenant, original.Id);

        var first = await _platform.Retry.ExecuteAsync(Platform.Tenant, original.Id, "retry-1");
        var second = await _platform.Retry.ExecuteAsync(Platform.Tenant, original.Id, "retry-1");

        Assert.Equal(first.Value!.Task.Id, second.Value!.Task.Id);
        Assert.True(second.Value.Replayed);
    }

    [Fact]
    public async Task Agents_cannot_retry_tasks()
    {
        var original = await _platform.SubmitAsync();
        await _platform.Move.CancelAsync(Platform.Tenant, original.Id);
        var agent = await _platform.RegisterAsync();

        var outcome = await _platform.Retry.ExecuteAsync(Platform.AgentCaller(agent), original.Id);

        Assert.Equal(FailureKind.Forbidden, outcome.Failure?.Kind);
    }
}
