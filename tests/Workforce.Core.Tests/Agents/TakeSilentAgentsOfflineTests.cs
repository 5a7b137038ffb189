using Workforce.Core.Agents;
using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Agents;

public sealed class TakeSilentAgentsOfflineTests
{
    private readonly Platform _platform = new();

    [Fact]
    public async Task A_silent_agent_goes_offline_and_its_tasks_fail_over()
    {
        var task = await _platform.SubmitAsync();
        var silent = await _platform.RegisterAsync();
        await _platform.LeaseAsync(silent);
        await _platform.Move.StartAsync(Platform.AgentCaller(silent), task.Id);

        _platform.Clock.Advance(TimeSpan.FromSeconds(91));
        var offline = await _platform.TakeOffline.ExecuteAsync(batchSize: 100);

        Assert.Equal(1, offline);
        var agent = await _platform.Store.FindAgentAsync(Platform.TenantId, silent.Id);
        Assert.Equal((AgentStatus.Offline, 0), (agent!.Status, agent.ActiveTasks));
        Assert.Equal(new AgentChange(Platform.TenantId, silent.Id), _platform.ChangedAgents.All[^1]);
        var released = await _platform.Store.FindTaskAsync(Platform.TenantId, task.Id);
        Assert.Equal(TaskState.Pending, released!.State);
        Assert.Contains("went offline", released.Error, StringComparison.Ordinal);

        var standby = await _platform.RegisterAsync();
        Assert.Equal(task.Id, (await _platform.LeaseAsync(standby))?.Id);
    }

    [Fact]
    public async Task An_agent_that_keeps_sending_heartbeats_stays_online()
    {
        var agent = await _platform.RegisterAsync();
        _platform.Clock.Advance(TimeSpan.FromSeconds(60));
        await _platform.Heartbeat.ExecuteAsync(Platform.AgentCaller(agent), agent.Id);
        _platform.Clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(0, await _platform.TakeOffline.ExecuteAsync(batchSize: 100));
        Assert.Equal(AgentStatus.Online, (await _platform.Store.FindAgentAsync(Platform.TenantId, agent.Id))!.Status);
    }

    [Fact]
    public async Task An_offline_agent_comes_back_with_a_heartbeat()
    {
        var agent = await _platform.RegisterAsync();
        _platform.Clock.Advance(TimeSpan.FromMinutes(5));
        await _platform.TakeOffline.ExecuteAsync(batchSize: 100);

        await _platform.Heartbeat.ExecuteAsync(Platform.AgentCaller(agent), agent.Id);

        Assert.Equal(AgentStatus.Online, (await _platform.Store.FindAgentAsync(Platform.TenantId, agent.Id))!.Status);
        Assert.Equal(0, await _platform.TakeOffline.ExecuteAsync(batchSize: 100));
    }
}
