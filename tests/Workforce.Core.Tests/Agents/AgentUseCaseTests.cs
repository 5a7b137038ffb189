using Workforce.Core.Agents;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;

namespace Workforce.Core.Tests.Agents;

public sealed class AgentUseCaseTests
{
    private readonly Platform _platform = new();

    [Fact]
    public async Task Registration_issues_a_key_that_is_stored_only_as_its_hash()
    {
        var outcome = await _platform.Register.ExecuteAsync(Platform.Tenant, new RegisterAgentCommand("worker", ["GPU"], 4, AgentRole.Strategic));

        var registered = outcome.Value!;
        Assert.StartsWith(ApiKeys.AgentKeyPrefix, registered.AgentKey, StringComparison.Ordinal);
        Assert.Equal(ApiKeys.Hash(registered.AgentKey), _platform.Store.AgentKeyHashes[registered.Agent.Id]);
        Assert.Equal(AgentStatus.Online, registered.Agent.Status);
        Assert.Equal(["gpu"], registered.Agent.Capabilities);
        Assert.Equal(AgentRole.Strategic, registered.Agent.Role);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task Capacity_outside_one_to_a_thousand_is_invalid(int capacity)
    {
        var outcome = await _platform.Register.ExecuteAsync(Platform.Tenant, new RegisterAgentCommand("w", Capacity: capacity));

        Assert.True(outcome.Failure?.Errors?.ContainsKey("capacity"));
    }

    [Fact]
    public async Task Metadata_must_be_a_json_object()
    {
        var outcome = await _platform.Register.ExecuteAsync(Platform.Tenant, new RegisterAgentCommand("w", Metadata: new RawJson("[1,2]")));

        Assert.True(outcome.Failure?.Errors?.ContainsKey("metadata"));
    }

    [Fact]
    public async Task Removing_an_agent_returns_its_tasks_to_the_queue()
    {
        await _platform.SubmitAsync("a");
        await _platform.SubmitAsync("b");
        var agent = await _platform.RegisterAsync(capacity: 2);
        var first = (await _platform.LeaseAsync(agent))!;
        var second = (await _platform.LeaseAsync(agent))!;
        await _platform.Move.StartAsync(Platform.AgentCaller(agent), second.Id);

        await _platform.Remove.ExecuteAsync(Platform.Tenant, agent.Id);

        Assert.Null(await _platform.Store.FindAgentAsync(Platform.TenantId, agent.Id));
        Assert.False(_platform.Store.AgentKeyHashes.ContainsKey(agent.Id));
        foreach (var id in new[] { first.Id, second.Id })
        {
            var task = await _platform.Store.FindTaskAsync(Platform.TenantId, id);
            Assert.Equal(TaskState.Pending, task?.State);
            Assert.Null(task?.AssignedAgentId);
        }

        var replacement = await _platform.RegisterAsync();
        Assert.Equal("a", (await _platform.LeaseAsync(replacement))!.Type);
    }

    [Fact]
    public async Task Registration_heartbeats_and_removal_announce_the_agent_after_commit()
    {
        var agent = await _platform.RegisterAsync();
        await _platform.Heartbeat.ExecuteAsync(Platform.AgentCaller(agent), agent.Id, new MetricsReport(10, 100, 4));
        await _platform.Heartbeat.ExecuteAsync(Platform.Tenant, agent.Id, new MetricsReport(101, 100, 4));
        await _platform.Remove.ExecuteAsync(Platform.Tenant, agent.Id);

        var change = new AgentChange(Platform.TenantId, agent.Id);
        Assert.Equal([change, change, change], _platform.ChangedAgents.All);
    }

    [Fact]
    public async Task Metrics_are_stamped_with_the_platform_time_and_count_as_a_heartbeat()
    {
        var agent = await _platform.RegisterAsync();
        _platform.Clock.Advance(TimeSpan.FromSeconds(10));

        var outcome = await _platform.Heartbeat.ExecuteAsync(Platform.AgentCaller(agent), agent.Id, new MetricsReport(42.5, 512, 8));

        var updated = outcome.Value!;
        Assert.Equal(_platform.Clock.GetUtcNow(), updated.LastHeartbeatAt);
        Assert.Equal(new AgentMetrics(42.5, 512, 8, _platform.Clock.GetUtcNow()), updated.Metrics);
    }

    [Fact]
    public async Task Metrics_out_of_range_are_invalid()
    {
        var agent = await _platform.RegisterAsync();

        var outcome = await _platform.Heartbeat.ExecuteAsync(Platform.Tenant, agent.Id, new MetricsReport(101, -1, null));

        Assert.Equal(["cpuPercent", "memoryMb", "threadCount"], outcome.Failure!.Errors!.Keys.Order());
    }

    [Fact]
    public async Task An_agent_key_cannot_send_heartbeats_for_another_agent()
    {
        var one = await _platform.RegisterAsync();
        var other = await _platform.RegisterAsync();

        var outcome = await _platform.Heartbeat.ExecuteAsync(Platform.AgentCaller(one), other.Id);

        Assert.Equal(FailureKind.Forbidden, outcome.Failure?.Kind);
    }
}
