using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Tasks;

public sealed class EnforceTaskTimeoutsTests
{
    private readonly Platform _platform = new();

    [Fact]
    public async Task An_assigned_task_not_started_within_the_window_is_retried_and_frees_its_agent()
    {
        var task = await _platform.SubmitAsync();
        var agent = await _platform.RegisterAsync();
        await _platform.LeaseAsync(agent);

        _platform.Clock.Advance(_platform.TaskOptions.AssignmentTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(TaskState.Assigned, (await _platform.EnforceTimeouts.ExecuteAsync(Platform.TenantId, task.Id))!.State);

        _platform.Clock.Advance(TimeSpan.FromSeconds(1));
        var snapshot = await _platform.EnforceTimeouts.ExecuteAsync(Platform.TenantId, task.Id);

        Assert.Equal(TaskState.Pending, snapshot!.State);
        Assert.Contains("did not start", snapshot.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await _platform.Store.FindAgentAsync(Platform.TenantId, agent.Id))!.ActiveTasks);
        Assert.Equal(_platform.Clock.GetUtcNow().AddSeconds(2), (await _platform.Store.FindTaskAsync(Platform.TenantId, task.Id))!.NextAttemptAt);
    }

    [Fact]
    public async Task A_running_task_past_its_timeout_fails_for_good_after_its_last_attempt()
    {
        var outcome = await _platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand("slow", TimeoutSeconds: 30, MaxRetries: 0));
        var task = outcome.Value!.Task;
        var agent = await _platform.RegisterAsync();
        await _platform.LeaseAsync(agent);
        await _platform.Move.StartAsync(Platform.AgentCaller(agent), task.Id);

        _platform.Clock.Advance(TimeSpan.FromSeconds(30));
        var snapshot = await _platform.EnforceTimeouts.ExecuteAsync(Platform.TenantId, task.Id);

        Assert.Equal(TaskState.Failed, snapshot!.State);
        Assert.Equal("The task did not complete within its timeout of 30 s.", snapshot.Error);
    }

    [Fact]
    public async Task A_task_within_its_limits_is_left_alone_and_publishes_nothing()
    {
        var task = await _platform.SubmitAsync();
        var published = _platform.Transitions.All.Count;

        var snapshot = await _platform.EnforceTimeouts.ExecuteAsync(Platform.TenantId, task.Id);

        Assert.Equal(new TaskSnapshot(TaskState.Pending, 1, task.CreatedAt, null) { Deadline = new(task.Deadline) }, snapshot);
        Assert.Equal(published, _platform.Transitions.All.Count);
    }

    [Fact]
    public async Task A_pending_task_past_its_deadline_expires()
    {
        var outcome = await _platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand("dated", Deadline: _platform.Clock.GetUtcNow().AddMinutes(1)));

        _platform.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(TaskState.Failed, (await _platform.EnforceTimeouts.ExecuteAsync(Platform.TenantId, outcome.Value!.Task.Id))!.State);
    }

    [Fact]
    public async Task An_unknown_task_has_no_snapshot() =>
        Assert.Null(await _platform.EnforceTimeouts.ExecuteAsync(Platform.TenantId, Guid.NewGuid()));

    [Fact]
    public void The_due_time_follows_the_state()
    {
        var since = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var deadline = since.AddHours(1);
        var timeouts = new TaskTimeouts(TimeoutSeconds: 120, deadline, AssignmentTimeout: TimeSpan.FromSeconds(60));

        Assert.Equal(deadline, new TaskSnapshot(TaskState.Pending, 1, since, null).DueAt(timeouts));
        Assert.Equal(since.AddSeconds(60), new TaskSnapshot(TaskState.Assigned, 2, since, null).DueAt(timeouts));
        Assert.Equal(since.AddSeconds(120), new TaskSnapshot(TaskState.Running, 3, since, null).DueAt(timeouts));
        Assert.Null(new TaskSnapshot(TaskState.Completed, 4, since, null).DueAt(timeouts));
        Assert.Null(new TaskSnapshot(TaskState.Pending, 1, since, null).DueAt(timeouts with { Deadline = null }));
    }
}
