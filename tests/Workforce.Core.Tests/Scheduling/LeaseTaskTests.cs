using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Scheduling;

public sealed class LeaseTaskTests
{
    private readonly Platform _platform = new();

    [Fact]
    public async Task Lease_returns_highest_priority_task_first()
    {
        await _platform.SubmitAsync("low", TaskPriority.Low);
        await _platform.SubmitAsync("high", TaskPriority.High);
        await _platform.SubmitAsync("critical", TaskPriority.Critical);
        await _platform.SubmitAsync("medium", TaskPriority.Medium);
        var agent = await _platform.RegisterAsync(capacity: 10);

        var order = new List<string>();
        while (await _platform.LeaseAsync(agent) is { } task)
        {
            order.Add(task.Type);
        }

        Assert.Equal(["critical", "high", "medium", "low"], order);
    }

    [Fact]
    public async Task Lease_is_first_in_first_out_within_a_priority()
    {
        for (var i = 0; i < 5; i++)
        {
            await _platform.SubmitAsync($"job-{i}");
        }

        var agent = await _platform.RegisterAsync(capacity: 10);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"job-{i}", (await _platform.LeaseAsync(agent))!.Type);
        }
    }

    [Fact]
    public async Task Lease_skips_tasks_needing_capabilities_the_agent_lacks()
    {
        await _platform.SubmitAsync("gpu-job", TaskPriority.Critical, ["gpu"]);
        await _platform.SubmitAsync("plain-job", TaskPriority.Low);
        var cpuAgent = await _platform.RegisterAsync(["cpu"]);
        var gpuAgent = await _platform.RegisterAsync(["gpu"]);

        Assert.Equal("plain-job", (await _platform.LeaseAsync(cpuAgent))!.Type);
        Assert.Equal("gpu-job", (await _platform.LeaseAsync(gpuAgent))!.Type);
    }

    [Fact]
    public async Task Lease_gives_nothing_to_an_agent_at_capacity()
    {
        await _platform.SubmitAsync("a");
        await _platform.SubmitAsync("b");
        var agent = await _platform.RegisterAsync(capacity: 1);

        var first = await _platform.LeaseAsync(agent);
        Assert.NotNull(first);
        Assert.Null(await _platform.LeaseAsync(agent));

        await _platform.Move.CompleteAsync(Platform.AgentCaller(agent), first.Id, new CompleteTaskCommand());
        Assert.Equal("b", (await _platform.LeaseAsync(agent))!.Type);
    }

    [Fact]
    public async Task A_task_in_backoff_is_not_leasable_until_the_backoff_passes()
    {
        await _platform.SubmitAsync("flaky");
        var agent = await _platform.RegisterAsync();
        var task = (await _platform.LeaseAsync(agent))!;
        await _platform.Move.FailAsync(Platform.AgentCaller(agent), task.Id, new FailTaskCommand("timeout"));

        _platform.Clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Null(await _platform.LeaseAsync(agent));

        _platform.Clock.Advance(TimeSpan.FromSeconds(0.1));
        var retried = await _platform.LeaseAsync(agent);
        Assert.Equal(task.Id, retried?.Id);
        Assert.Equal(2, retried?.Attempt);
    }

    [Fact]
    public async Task A_retried_task_keeps_its_original_place_in_line()
    {
        await _platform.SubmitAsync("first");
        var agent = await _platform.RegisterAsync();
        var first = (await _platform.LeaseAsync(agent))!;
        await _platform.SubmitAsync("second");
        await _platform.Move.FailAsync(Platform.AgentCaller(agent), first.Id, new FailTaskCommand("flaky"));

        _platform.Clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("first", (await _platform.LeaseAsync(agent))!.Type);
    }

    [Fact]
    public async Task An_agent_key_cannot_lease_for_another_agent()
    {
        var one = await _platform.RegisterAsync();
        var other = await _platform.RegisterAsync();

        var outcome = await _platform.Lease.ExecuteAsync(Platform.AgentCaller(one), other.Id);

        Assert.Equal(FailureKind.Forbidden, outcome.Failure?.Kind);
    }

    [Fact]
    public async Task An_offline_agent_is_told_to_send_a_heartbeat()
    {
        var agent = await _platform.RegisterAsync();
        await _platform.Store.TransactAsync(Platform.TenantId, tx =>
        {
            tx.Update(agent.MarkOffline());
            return ValueTask.FromResult(0);
        });

        var outcome = await _platform.Lease.ExecuteAsync(Platform.Tenant, agent.Id);

        Assert.Equal(FailureKind.Conflict, outcome.Failure?.Kind);
        Assert.Contains("heartbeat", outcome.Failure?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leasing_an_unknown_agent_is_not_found()
    {
        var outcome = await _platform.Lease.ExecuteAsync(Platform.Tenant, Guid.NewGuid());

        Assert.Equal(FailureKind.NotFound, outcome.Failure?.Kind);
    }

    [Fact]
    public async Task A_task_past_its_deadline_is_expired_instead_of_leased()
    {
        var outcome = await _platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand("late", Deadline: _platform.Clock.GetUtcNow().AddSeconds(30)));
        var agent = await _platform.RegisterAsync();
        _platform.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Null(await _platform.LeaseAsync(agent));
        var expired = await _platform.Store.FindTaskAsync(Platform.TenantId, outcome.Value!.Task.Id);
        Assert.Equal(TaskState.Failed, expired?.State);
    }

    [Fact]
    public async Task A_long_poll_returns_a_task_submitted_while_it_waits()
    {
        var agent = await _platform.RegisterAsync();

        var lease = _platform.LeaseAsync(agent, waitSeconds: 30);
        Assert.False(lease.IsCompleted);
        var submitted = await _platform.SubmitAsync("late-arrival");

        var leased = await lease.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(submitted.Id, leased?.Id);
    }

    [Fact]
    public async Task A_long_poll_with_nothing_to_do_ends_empty_when_the_wait_is_over()
    {
        var agent = await _platform.RegisterAsync();

        var lease = _platform.LeaseAsync(agent, waitSeconds: 5);
        for (var i = 0; i < 100 && !lease.IsCompleted; i++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
            _platform.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Null(await lease.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Wait_outside_zero_to_thirty_seconds_is_invalid()
    {
        var agent = await _platform.RegisterAsync();

        var outcome = await _platform.Lease.ExecuteAsync(Platform.Tenant, agent.Id, waitSeconds: 31);

        Assert.Equal(FailureKind.Invalid, outcome.Failure?.Kind);
        Assert.True(outcome.Failure?.Errors?.ContainsKey("waitSeconds"));
    }
}
