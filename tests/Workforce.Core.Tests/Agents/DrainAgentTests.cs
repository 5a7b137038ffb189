using Workforce.Core.Agents;
using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Agents;

public sealed class DrainAgentTests
{
    private readonly Platform _platform = new();

    [Fact]
    public async Task A_draining_agent_keeps_its_tasks_but_leases_no_new_ones()
    {
        await _platform.SubmitAsync("held");
        await _platform.SubmitAsync("waiting");
        var agent = await _platform.RegisterAsync(capacity: 2);
        var held = (await _platform.LeaseAsync(agent))!;

        var drained = await _platform.Drain.DrainAsync(Platform.Tenant, agent.Id);

        Assert.True(drained.Value?.Draining);
        Assert.Null(await _platform.LeaseAsync(agent));
        var completed = await _platform.Move.CompleteAsync(Platform.AgentCaller(agent), held.Id, new CompleteTaskCommand());
        Assert.Equal(TaskState.Completed, completed.Value?.State);
        Assert.Null(await _platform.LeaseAsync(agent));
    }

    [Fact]
    public async Task A_resumed_agent_leases_again()
    {
        await _platform.SubmitAsync("work");
        var agent = await _platform.RegisterAsync();
        await _platform.Drain.DrainAsync(Platform.AgentCaller(agent), agent.Id);

        var resumed = await _platform.Drain.ResumeAsync(Platform.AgentCaller(agent), agent.Id);

        Assert.False(resumed.Value?.Draining);
        Assert.Equal("work", (await _platform.LeaseAsync(agent))?.Type);
    }

    [Fact]
    public async Task Draining_is_stored_and_announced()
    {
        var agent = await _platform.RegisterAsync();
        _platform.ChangedAgents.All.Clear();

        await _platform.Drain.DrainAsync(Platform.Tenant, agent.Id);

        Assert.True((await _platform.Store.FindAgentAsync(Platform.TenantId, agent.Id))?.Draining);
        Assert.Equal([new AgentChange(Platform.TenantId, agent.Id)], _platform.ChangedAgents.All);
    }

    [Fact]
    public async Task An_agent_key_cannot_drain_another_agent()
    {
        var one = await _platform.RegisterAsync();
        var other = await _platform.RegisterAsync();

        var outcome = await _platform.Drain.DrainAsync(Platform.AgentCaller(one), other.Id);

        Assert.Equal(FailureKind.Forbidden, outcome.Failure?.Kind);
        Assert.False((await _platform.Store.FindAgentAsync(Platform.TenantId, other.Id))?.Draining);
    }

    [Fact]
    public async Task Draining_an_unknown_agent_is_not_found()
    {
        var outcome = await _platform.Drain.DrainAsync(Platform.Tenant, Guid.NewGuid());

        Assert.Equal(FailureKind.NotFound, outcome.Failure?.Kind);
    }
}
