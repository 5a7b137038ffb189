using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Tasks;

public sealed class MoveTaskTests
{
    private readonly Platform _platform = new();

    [Fact]
    public async Task Completing_a_task_frees_its_agents_slot()
    {
        await _platform.SubmitAsync();
        var agent = await _platform.RegisterAsync();
        var task = (await _platform.LeaseAsync(agent))!;
        Assert.Equal(1, (await _platform.Store.FindAgentAsync(Platform.TenantId, agent.Id))!.ActiveTasks);

        await _platform.Move.StartAsync(Platform.AgentCaller(agent), task.Id);
        var completed = await _platform.Move.CompleteAsync(Platform.AgentCaller(agent), task.Id, new CompleteTaskCommand(new RawJson("\"done\"")));

        Assert.Equal(TaskState.Completed, completed.Value?.State);
        Assert.Equal(0, (await _platform.Store.FindAgentAsync(Platform.TenantId, agent.Id))!.ActiveTasks);
    }

    [Fact]
    public async Task An_agent_cannot_report_on_a_task_assigned_to_another()
    {
        await _platform.SubmitAsync();
        var owner = await _platform.RegisterAsync();
        var intruder = await _platform.RegisterAsync();
        var task = (await _platform.LeaseAsync(owner))!;

        var outcome = await _platform.Move.CompleteAsync(Platform.AgentCaller(intruder), task.Id, new CompleteTaskCommand());

        Assert.Equal(FailureKind.Forbidden, outcome.Failure?.Kind);
        Assert.Equal(TaskState.Assigned, (await _platform.Store.FindTaskAsync(Platform.TenantId, task.Id))!.State);
    }

    [Fact]
    public async Task An_illegal_move_is_a_conflict_and_changes_nothing()
    {
        await _platform.SubmitAsync();
        var agent = await _platform.RegisterAsync();
        var task = (await _platform.LeaseAsync(agent))!;
        await _platform.Move.CompleteAsync(Platform.Tenant, task.Id, new CompleteTaskCommand());

        var outcome = await _platform.Move.StartAsync(Platform.Tenant, task.Id);

        Assert.Equal(FailureKind.Conflict, outcome.Failure?.Kind);
        Assert.Equal(TaskState.Completed, (await _platform.Store.FindTaskAsync(Platform.TenantId, task.Id))!.State);
    }

    [Fact]
    public async Task Agents_cannot_cancel_tasks_but_tenants_can()
    {
        var task = await _platform.SubmitAsync();
        var agent = await _platform.RegisterAsync();

        Assert.Equal(FailureKind.Forbidden, (await _platform.Move.CancelAsync(Platform.AgentCaller(agent), task.Id)).Failure?.Kind);
        Assert.Equal(TaskState.Cancelled, (await _platform.Move.CancelAsync(Platform.Tenant, task.Id)).Value?.State);
    }

    [Fact]
    public async Task Failing_without_an_error_message_is_invalid()
    {
        var task = await _platform.SubmitAsync();

        var outcome = await _platform.Move.FailAsync(Platform.Tenant, task.Id, new FailTaskCommand(" "));

        Assert.Equal(FailureKind.Invalid, outcome.Failure?.Kind);
    }

    [Fact]
    public async Task Backoff_grows_with_each_failed_attempt()
    {
        await _platform.SubmitAsync(maxRetries: 5);
        var agent = await _platform.RegisterAsync();
        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var task = (await _platform.LeaseAsync(agent))!;
            var failed = (await _platform.Move.FailAsync(Platform.AgentCaller(agent), task.Id, new FailTaskCommand("again"))).Value!;
            delays.Add(failed.NextAttemptAt!.Value - _platform.Clock.GetUtcNow());
            _platform.Clock.Advance(delays[^1]);
        }

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], delays);
    }

    [Fact]
    public async Task A_task_of_another_tenant_is_not_found()
    {
        var task = await _platform.SubmitAsync();

        var outcome = await _platform.Move.CancelAsync(Caller.Tenant("someone-else"), task.Id);

        Assert.Equal(FailureKind.NotFound, outcome.Failure?.Kind);
    }
}
