using Workforce.Core.Agents;
using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Agents;

public sealed class AgentTests
{
    private static Agent Agent(int capacity = 2, params string[] capabilities) => new()
    {
        Id = Guid.NewGuid(),
        TenantId = "t",
        Name = "a",
        Capacity = capacity,
        Capabilities = capabilities,
    };

    private static WorkTask Needing(params string[] capabilities) => new()
    {
        Id = Guid.NewGuid(),
        TenantId = "t",
        Type = "x",
        RequiredCapabilities = capabilities,
    };

    [Fact]
    public void Serves_a_task_only_with_every_required_capability()
    {
        var agent = Agent(2, "gpu", "python");

        Assert.True(agent.CanServe(Needing()));
        Assert.True(agent.CanServe(Needing("gpu")));
        Assert.True(agent.CanServe(Needing("gpu", "python")));
        Assert.False(agent.CanServe(Needing("gpu", "rust")));
    }

    [Fact]
    public void Becomes_busy_at_capacity_and_online_again_when_a_slot_frees()
    {
        var agent = Agent(capacity: 2).TaskAssigned();
        Assert.Equal(AgentStatus.Online, agent.Status);

        agent = agent.TaskAssigned();
        Assert.Equal(AgentStatus.Busy, agent.Status);
        Assert.False(agent.CanServe(Needing()));

        agent = agent.TaskReleased();
        Assert.Equal(AgentStatus.Online, agent.Status);
        Assert.Equal(1, agent.ActiveTasks);
    }

    [Fact]
    public void An_offline_agent_serves_nothing_until_its_next_heartbeat()
    {
        var now = DateTimeOffset.UnixEpoch;
        var offline = Agent().MarkOffline();
        Assert.False(offline.CanServe(Needing()));

        var back = offline.Heartbeat(now);
        Assert.Equal(AgentStatus.Online, back.Status);
        Assert.Equal(now, back.LastHeartbeatAt);
    }

    [Fact]
    public void A_heartbeat_without_metrics_keeps_the_last_ones()
    {
        var metrics = new AgentMetrics(50, 1024, 12, DateTimeOffset.UnixEpoch);
        var agent = Agent().Heartbeat(DateTimeOffset.UnixEpoch, metrics).Heartbeat(DateTimeOffset.UnixEpoch.AddSeconds(10));

        Assert.Equal(metrics, agent.Metrics);
    }
}
