using Workforce.Core.Analytics;
using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Analytics;

public sealed class AnalyticsQueriesTests
{
    private readonly Platform _platform = new();

    [Fact]
    public void A_histogram_survives_its_stored_form_and_adds_up()
    {
        var values = new RollupValues();
        values.Observe(AnalyticsValues.RunTime, TimeSpan.FromMilliseconds(0.4));
        values.Observe(AnalyticsValues.RunTime, TimeSpan.FromSeconds(3));
        values.Sample(AnalyticsValues.MemoryMb, 40);
        var other = new RollupValues();
        other.Sample(AnalyticsValues.MemoryMb, 10);
        other.Observe(AnalyticsValues.RunTime, TimeSpan.FromSeconds(3));

        var merged = RollupValues.FromJson(values.ToJson());
        merged.Merge(RollupValues.FromJson(other.ToJson()));

        Assert.Equal(3, merged.Histogram(AnalyticsValues.RunTime)!.Count);
        Assert.InRange(merged.Histogram(AnalyticsValues.RunTime)!.Quantile(0.9)!.Value, 2_700, 3_300);
        Assert.Equal(25, merged.Average(AnalyticsValues.MemoryMb));
        Assert.Equal(40, merged.Peak(AnalyticsValues.MemoryMb));
    }

    [Fact]
    public async Task Gauges_sampled_twice_in_a_minute_count_once_and_show_queue_depth_and_utilisation()
    {
        var agent = await _platform.RegisterAsync(capacity: 4);
        await _platform.SubmitAsync(priority: TaskPriority.High);
        await _platform.SubmitAsync(priority: TaskPriority.High);
        await _platform.SubmitAsync(priority: TaskPriority.Low);
        await _platform.LeaseAsync(agent);
        var sample = new SampleTenantGauges(_platform.Store, _platform.AnalyticsStore, _platform.Clock);

        await sample.ExecuteAsync(Platform.TenantId);
        await sample.ExecuteAsync(Platform.TenantId);

        var query = new QueryAnalytics(_platform.AnalyticsStore, new AnalyticsOptions(), _platform.Clock);
        Assert.Equal(2, Last(await query.ExecuteAsync(Platform.Tenant, new AnalyticsQuery("queueDepth"))));
        Assert.Equal(1, Last(await query.ExecuteAsync(Platform.Tenant, new AnalyticsQuery("queueDepth", Priority: TaskPriority.High))));
        Assert.Equal(25, Last(await query.ExecuteAsync(Platform.Tenant, new AnalyticsQuery("utilisation"))));
        Assert.Equal(1, Last(await query.ExecuteAsync(Platform.Tenant, new AnalyticsQuery("onlineAgents"))));
    }

    [Fact]
    public async Task An_agents_heartbeats_are_kept_at_full_resolution_and_averaged_per_step()
    {
        var agent = await _platform.RegisterAsync();
        foreach (var cpu in new[] { 10.0, 30.0, 50.0 })
        {
            await _platform.Heartbeat.ExecuteAsync(Platform.Tenant, agent.Id, new Workforce.Core.Agents.MetricsReport(cpu, 100 + cpu, 8));
            _platform.Clock.Advance(TimeSpan.FromSeconds(30));
        }

        await _platform.FlushAnalyticsAsync();
        var query = new QueryAgentMetrics(_platform.Store, _platform.AnalyticsStore, new AnalyticsOptions(), _platform.Clock);

        var raw = (await query.ExecuteAsync(Platform.Tenant, agent.Id, new AgentMetricsQuery())).Value!;
        Assert.Equal([10.0, 30.0, 50.0], raw.Points.Select(point => point.CpuPercent!.Value));
        Assert.Equal(30, raw.Average.CpuPercent);
        var perMinute = (await query.ExecuteAsync(Platform.Tenant, agent.Id, new AgentMetricsQuery(Step: TimeSpan.FromMinutes(1)))).Value!;
        Assert.Equal(3, perMinute.Points.Sum(point => point.Samples));
        Assert.Equal(130, perMinute.Average.MemoryMb);
    }

    [Fact]
    public async Task Another_tenant_cannot_read_an_agents_metrics()
    {
        var agent = await _platform.RegisterAsync();
        var query = new QueryAgentMetrics(_platform.Store, _platform.AnalyticsStore, new AnalyticsOptions(), _platform.Clock);

        var outcome = await query.ExecuteAsync(Caller.Tenant("globex"), agent.Id, new AgentMetricsQuery());

        Assert.Equal(FailureKind.NotFound, outcome.Failure?.Kind);
    }

    [Theory]
    [InlineData("latency", null, null, "metric")]
    [InlineData("completed", 30, null, "step")]
    [InlineData("completed", null, 24 * 60 * 2, "step")]
    [InlineData("queueDepth", null, null, "type")]
    public async Task A_bad_query_is_refused_with_the_field_to_fix(string metric, int? stepSeconds, int? rangeMinutes, string field)
    {
        var now = _platform.Clock.GetUtcNow();
        var query = new AnalyticsQuery(
            metric,
            From: rangeMinutes is { } minutes ? now.AddMinutes(-minutes) : null,
            Step: stepSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : rangeMinutes is null ? null : TimeSpan.FromMinutes(1),
            Type: field == "type" ? "email" : null);

        var outcome = await new QueryAnalytics(_platform.AnalyticsStore, new AnalyticsOptions(), _platform.Clock).ExecuteAsync(Platform.Tenant, query);

        Assert.Equal(FailureKind.Invalid, outcome.Failure?.Kind);
        Assert.Contains(field, outcome.Failure!.Errors!.Keys);
    }

    private static double? Last(Outcome<AnalyticsSeriesResult> outcome) => outcome.Value!.Points[^1].Value;
}
