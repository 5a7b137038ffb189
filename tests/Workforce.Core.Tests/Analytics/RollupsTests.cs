using Workforce.Core.Analytics;
using Workforce.Core.Plans;
using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Analytics;

/// <summary>The rollups kept as things happen, checked against brute-force counts over the same generated history.</summary>
public sealed class RollupsTests
{
    private static readonly string[] Types = ["email", "resize", "classify"];

    [Fact]
    public async Task Counts_per_minute_hour_type_and_priority_match_a_brute_force_count_of_the_history()
    {
        var platform = new Platform(billing: Unmetered);
        var history = await GenerateAsync(platform, seed: 7, operations: 900);
        var start = history.Min(entry => entry.At);
        var end = platform.Clock.GetUtcNow().AddMinutes(1);
        var analytics = new QueryAnalytics(platform.AnalyticsStore, new AnalyticsOptions(), platform.Clock);

        foreach (var (metric, kind) in new[] { ("submitted", "submitted"), ("completed", "completed"), ("failed", "failed"), ("cancelled", "cancelled"), ("retried", "retried") })
        {
            foreach (var step in new[] { TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1) })
            {
                var series = (await analytics.ExecuteAsync(Platform.Tenant, new AnalyticsQuery(metric, start, end, step))).Value!;
                Assert.Equal(
                    series.Points.Select(point => (double?)history.Count(entry => entry.Kind == kind && entry.At >= point.At && entry.At < point.At + step)),
                    series.Points.Select(point => point.Value));
            }

            var email = (await analytics.ExecuteAsync(Platform.Tenant, new AnalyticsQuery(metric, start, end, TimeSpan.FromMinutes(5), Type: "email"))).Value!;
            Assert.Equal(history.Count(entry => entry.Kind == kind && entry.Type == "email"), email.Points.Sum(point => point.Value));
            var critical = (await analytics.ExecuteAsync(Platform.Tenant, new AnalyticsQuery(metric, start, end, TimeSpan.FromMinutes(5), Priority: TaskPriority.Critical))).Value!;
            Assert.Equal(history.Count(entry => entry.Kind == kind && entry.Priority == TaskPriority.Critical), critical.Points.Sum(point => point.Value));
        }

        Assert.True(history.Count(entry => entry.Kind == "completed") > 100, "the generated history completes enough tasks to mean something");
    }

    [Fact]
    public async Task Percentiles_over_any_range_are_within_ten_percent_of_the_exact_ones()
    {
        var platform = new Platform(billing: Unmetered);
        var history = await GenerateAsync(platform, seed: 11, operations: 1_200);
        var summary = await new QueryAnalyticsSummary(platform.AnalyticsStore, new AnalyticsOptions(), platform.Clock)
            .ExecuteAsync(Platform.Tenant, history.Min(entry => entry.At), platform.Clock.GetUtcNow().AddMinutes(1));

        var runTimes = history.Where(entry => entry.RunTime is not null).Select(entry => entry.RunTime!.Value.TotalMilliseconds).Order().ToList();
        var waits = history.Where(entry => entry.Kind == "leased").Select(entry => entry.Waited!.Value.TotalMilliseconds).Order().ToList();
        AssertNear(Exact(runTimes, 0.50), summary.Value!.RunTime.P50);
        AssertNear(Exact(runTimes, 0.95), summary.Value.RunTime.P95);
        AssertNear(Exact(waits, 0.50), summary.Value.ScheduleToStart.P50);
        AssertNear(Exact(waits, 0.99), summary.Value.ScheduleToStart.P99);
        Assert.Equal(history.Count(entry => entry.Kind == "submitted"), summary.Value.Tasks.Submitted);
        Assert.Equal(
            history.Count(entry => entry.Kind == "submitted" && entry.Type == "resize"),
            summary.Value.ByType.Where(type => type.Type == "resize").Sum(type => type.Submitted));
    }

    [Fact]
    public async Task A_flush_that_failed_is_written_once_when_the_store_is_back()
    {
        var platform = new Platform();
        var flaky = new FlakyAnalyticsStore(platform.AnalyticsStore) { Failing = true };
        var flush = new FlushAnalytics(platform.Analytics, flaky, new FixedSystemMetrics(platform.Clock), Microsoft.Extensions.Logging.Abstractions.NullLogger<FlushAnalytics>.Instance);
        await platform.SubmitAsync();
        await flush.ExecuteAsync();
        await platform.SubmitAsync();
        flaky.Failing = false;
        await flush.ExecuteAsync();
        await flush.ExecuteAsync();

        var submitted = await new QueryAnalytics(platform.AnalyticsStore, new AnalyticsOptions(), platform.Clock)
            .ExecuteAsync(Platform.Tenant, new AnalyticsQuery("submitted"));
        Assert.Equal(2, submitted.Value!.Points.Sum(point => point.Value));
    }

    private static BillingOptions Unmetered => new() { Metering = false };

    private static void AssertNear(double exact, double? measured) =>
        Assert.InRange(measured!.Value, exact * 0.9, exact * 1.1);

    private static double Exact(List<double> sorted, double q) => sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private sealed record Happened(DateTimeOffset At, string Kind, string Type, TaskPriority Priority, TimeSpan? RunTime = null, TimeSpan? Waited = null);

    /// <summary>A random but reproducible day of work: submissions, leases, starts, completions, failures with and without retries, cancellations.</summary>
    private static async Task<List<Happened>> GenerateAsync(Platform platform, int seed, int operations)
    {
        var random = new Random(seed);
        var agents = new List<Workforce.Core.Agents.Agent>();
        for (var i = 0; i < 4; i++)
        {
            agents.Add(await platform.RegisterAsync(capacity: 3));
        }

        var history = new List<Happened>();
        var running = new List<WorkTask>();
        var pending = new List<WorkTask>();
        for (var i = 0; i < operations; i++)
        {
            platform.Clock.Advance(TimeSpan.FromMilliseconds(random.Next(200, 20_000)));
            var now = platform.Clock.GetUtcNow();
            switch (random.Next(10))
            {
                case < 4:
                    var task = await platform.SubmitAsync(Types[random.Next(Types.Length)], (TaskPriority)random.Next(4), maxRetries: random.Next(2));
                    history.Add(new Happened(now, "submitted", task.Type, task.Priority));
                    pending.Add(task);
                    break;
                case < 6:
                    var agent = agents[random.Next(agents.Count)];
                    if (await platform.LeaseAsync(agent) is { } leased)
                    {
                        var before = pending.Single(each => each.Id == leased.Id);
                        var since = before.NextAttemptAt > before.UpdatedAt ? before.NextAttemptAt.Value : before.UpdatedAt;
                        history.Add(new Happened(now, "leased", leased.Type, leased.Priority, Waited: now - since));
                        pending.Remove(before);
                        running.Add((await platform.Move.StartAsync(Platform.AgentCaller(agent), leased.Id)).Value!);
                    }

                    break;
                case < 9 when running.Count > 0:
                    var held = running[random.Next(running.Count)];
                    running.Remove(held);
                    var caller = Caller.Agent(Platform.TenantId, held.AssignedAgentId!.Value);
                    var ran = now - held.UpdatedAt;
                    if (random.Next(5) > 0)
                    {
                        await platform.Move.CompleteAsync(caller, held.Id, new CompleteTaskCommand());
                        history.Add(new Happened(now, "completed", held.Type, held.Priority, ran));
                    }
                    else
                    {
                        var failed = (await platform.Move.FailAsync(caller, held.Id, new FailTaskCommand("boom"))).Value!;
                        history.Add(new Happened(now, failed.State == TaskState.Failed ? "failed" : "retried", held.Type, held.Priority, ran));
                        if (failed.State == TaskState.Pending)
                        {
                            pending.Add(failed);
                        }
                    }

                    break;
                case 9 when pending.Count > 0:
                    var doomed = pending[random.Next(pending.Count)];
                    pending.Remove(doomed);
                    await platform.Move.CancelAsync(Platform.Tenant, doomed.Id);
                    history.Add(new Happened(now, "cancelled", doomed.Type, doomed.Priority));
                    break;
            }

            if (i % 25 == 0)
            {
                await platform.FlushAnalyticsAsync();
            }
        }

        await platform.FlushAnalyticsAsync();
        return history;
    }

    private sealed class FlakyAnalyticsStore(IAnalyticsStore inner) : IAnalyticsStore
    {
        public bool Failing { get; set; }

        public Task ApplyAsync(AnalyticsBatch batch, CancellationToken cancellationToken = default) =>
            Failing ? throw new Storage.StorageUnavailableException("down") : inner.ApplyAsync(batch, cancellationToken);

        public IAsyncEnumerable<AnalyticsRollup> ReadRollupsAsync(string tenantId, RollupResolution resolution, string seriesPrefix, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            inner.ReadRollupsAsync(tenantId, resolution, seriesPrefix, from, to, cancellationToken);

        public IAsyncEnumerable<AgentSample> ReadAgentSamplesAsync(string tenantId, Guid agentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            inner.ReadAgentSamplesAsync(tenantId, agentId, from, to, cancellationToken);

        public Task<int> PurgeRollupsAsync(RollupResolution resolution, DateTimeOffset before, int limit, CancellationToken cancellationToken = default) =>
            inner.PurgeRollupsAsync(resolution, before, limit, cancellationToken);

        public Task<int> PurgeSamplesAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default) =>
            inner.PurgeSamplesAsync(before, limit, cancellationToken);
    }
}
