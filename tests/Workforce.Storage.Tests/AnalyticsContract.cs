using Workforce.Core.Analytics;

namespace Workforce.Storage.Tests;

/// <summary>
/// What every <see cref="IAnalyticsStore"/> must do: batches add into the stored rollups once however often they are
/// applied, reads by range and series prefix in start order, tenants apart, purges bounded by cutoff and limit.
/// Times are fixed (the store keeps data by its own time, not the clock's), straddling a day and a month boundary.
/// </summary>
public abstract class AnalyticsContract : IAsyncLifetime
{
    private const string Tenant = "analytics";

    /// <summary>Two minutes before a day (and a month) ends.</summary>
    private static readonly DateTimeOffset Minute = new(2026, 3, 31, 23, 58, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset Hour = new(2026, 3, 31, 22, 0, 0, TimeSpan.Zero);

    private IStorageBackend _backend = null!;

    private IAnalyticsStore Store => _backend.Analytics;

    public async ValueTask InitializeAsync() => _backend = await CreateBackendAsync();

    public async ValueTask DisposeAsync()
    {
        await _backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    [Fact]
    public async Task Counters_and_histograms_add_and_peaks_take_the_larger_across_batches()
    {
        await Store.ApplyAsync(Batch("b1", Rollup(AnalyticsSeries.Tasks, Minute, completed: 2, queue: 7, runTimeMs: [10, 10])));
        await Store.ApplyAsync(Batch("b2", Rollup(AnalyticsSeries.Tasks, Minute, completed: 3, queue: 4, runTimeMs: [10, 500])));

        var rollup = Assert.Single(await ReadAsync(RollupResolution.Minute, AnalyticsSeries.Tasks, Minute, Minute.AddMinutes(1)));
        Assert.Equal(5, rollup.Values.Counter(AnalyticsValues.Completed));
        Assert.Equal(7, rollup.Values.Peak("queue"));
        Assert.Equal(5.5, rollup.Values.Average("queue"));
        var runTime = rollup.Values.Histogram(AnalyticsValues.RunTime)!;
        Assert.Equal(4, runTime.Count);
        Assert.Equal(3, runTime.Buckets[LatencyHistogram.BucketOf(10)]);
        Assert.Equal(1, runTime.Buckets[LatencyHistogram.BucketOf(500)]);
    }

    [Fact]
    public async Task A_batch_applied_again_under_its_id_counts_once()
    {
        var agent = Guid.CreateVersion7();
        var batch = Batch("retried", [Rollup(AnalyticsSeries.Tasks, Minute, completed: 2), Rollup(AnalyticsSeries.Tasks, Hour, completed: 2, resolution: RollupResolution.Hour)],
            [new AgentSample(agent, Minute.AddSeconds(5), 12.5, 256, 9)]);

        await Store.ApplyAsync(batch);
        await Store.ApplyAsync(batch);
        await Store.ApplyAsync(batch with { TenantId = "other" });

        Assert.Equal(2, (await ReadAsync(RollupResolution.Minute, "", Minute, Minute.AddMinutes(1))).Single().Values.Counter(AnalyticsValues.Completed));
        Assert.Equal(2, (await ReadAsync(RollupResolution.Hour, "", Hour, Hour.AddHours(1))).Single().Values.Counter(AnalyticsValues.Completed));
        Assert.Single(await Store.ReadAgentSamplesAsync(Tenant, agent, Minute, Minute.AddMinutes(1)).ToListAsync());
        // The id is the tenant's own: another tenant's batch of the same id is its own batch.
        Assert.Equal(2, (await ReadAsync(RollupResolution.Minute, "", Minute, Minute.AddMinutes(1), "other")).Single().Values.Counter(AnalyticsValues.Completed));
    }

    [Fact]
    public async Task A_batch_larger_than_one_transaction_counts_once_when_applied_again()
    {
        var rollups = Enumerable.Range(0, 250).Select(i => Rollup($"task|normal|type/{i:D3}", Minute, completed: 1)).ToArray();

        await Store.ApplyAsync(Batch("large", rollups));
        await Store.ApplyAsync(Batch("large", rollups));

        var read = await ReadAsync(RollupResolution.Minute, AnalyticsSeries.TaskBreakdown, Minute, Minute.AddMinutes(1));
        Assert.Equal(250, read.Count);
        Assert.All(read, r => Assert.Equal(1, r.Values.Counter(AnalyticsValues.Completed)));
        Assert.Contains(read, r => r.Series == "task|normal|type/007");
    }

    [Fact]
    public async Task Rollups_of_one_key_in_one_batch_add_up()
    {
        await Store.ApplyAsync(Batch("twice", Rollup(AnalyticsSeries.Tasks, Minute, completed: 1), Rollup(AnalyticsSeries.Tasks, Minute, completed: 4)));

        Assert.Equal(5, (await ReadAsync(RollupResolution.Minute, "", Minute, Minute.AddMinutes(1))).Single().Values.Counter(AnalyticsValues.Completed));
    }

    [Fact]
    public async Task Rollups_are_read_by_series_prefix_over_a_range_that_excludes_its_end_in_start_order()
    {
        // Minutes on both sides of midnight, written newest first; hours on both sides of the month's end.
        var minutes = Enumerable.Range(0, 5).Select(i => Minute.AddMinutes(i)).Reverse().ToList();
        await Store.ApplyAsync(Batch("minutes", [.. minutes.SelectMany(at => new[]
        {
            Rollup("task|high|render", at, completed: 1),
            Rollup("task|low|render", at, completed: 1),
            Rollup(AnalyticsSeries.Gauges, at, completed: 1),
        })]));
        await Store.ApplyAsync(Batch("hours", [.. Enumerable.Range(0, 4).Select(i => Rollup(AnalyticsSeries.Tasks, Hour.AddHours(i), completed: i, resolution: RollupResolution.Hour))]));

        var breakdown = await ReadAsync(RollupResolution.Minute, AnalyticsSeries.TaskBreakdown, Minute.AddMinutes(1), Minute.AddMinutes(4));
        var gauges = await ReadAsync(RollupResolution.Minute, AnalyticsSeries.Gauges, Minute, Minute.AddMinutes(5));
        var high = await ReadAsync(RollupResolution.Minute, "task|high|", Minute, Minute.AddMinutes(5));
        var hours = await ReadAsync(RollupResolution.Hour, "", Hour.AddHours(1), Hour.AddHours(3));

        Assert.Equal([Minute.AddMinutes(1), Minute.AddMinutes(1), Minute.AddMinutes(2), Minute.AddMinutes(2), Minute.AddMinutes(3), Minute.AddMinutes(3)], breakdown.Select(r => r.Start));
        Assert.All(breakdown, r => Assert.StartsWith(AnalyticsSeries.TaskBreakdown, r.Series, StringComparison.Ordinal));
        Assert.Equal([.. minutes.Order()], gauges.Select(r => r.Start));
        Assert.All(high, r => Assert.Equal("task|high|render", r.Series));
        Assert.Equal(5, high.Count);
        Assert.Equal([(Hour.AddHours(1), 1L), (Hour.AddHours(2), 2L)], hours.Select(r => (r.Start, r.Values.Counter(AnalyticsValues.Completed))));
        Assert.All(hours, r => Assert.Equal(RollupResolution.Hour, r.Resolution));
        Assert.Empty(await ReadAsync(RollupResolution.Hour, "", Minute, Minute.AddMinutes(1)));
    }

    [Fact]
    public async Task Tenants_see_only_their_own_rollups_and_samples()
    {
        var agent = Guid.CreateVersion7();
        await Store.ApplyAsync(Batch("b", [Rollup(AnalyticsSeries.Tasks, Minute, completed: 1)], [new AgentSample(agent, Minute, 1, 1, 1)]));

        Assert.Empty(await ReadAsync(RollupResolution.Minute, "", Minute, Minute.AddMinutes(1), "someone-else"));
        Assert.Empty(await Store.ReadAgentSamplesAsync("someone-else", agent, Minute, Minute.AddMinutes(1)).ToListAsync());
        Assert.Single(await ReadAsync(RollupResolution.Minute, "", Minute, Minute.AddMinutes(1)));
    }

    [Fact]
    public async Task Agent_samples_are_read_by_agent_over_a_range_that_excludes_its_end_oldest_first()
    {
        var agent = Guid.CreateVersion7();
        var other = Guid.CreateVersion7();
        var times = Enumerable.Range(0, 6).Select(i => Minute.AddSeconds(30 * i)).ToList();
        await Store.ApplyAsync(Batch("s1", [], [.. times.Skip(3).Select((at, i) => new AgentSample(agent, at, 10 + i, 512.5, 20))]));
        await Store.ApplyAsync(Batch("s2", [], [.. times.Take(3).Select(at => new AgentSample(agent, at, 5, 512.5, 20)), new AgentSample(other, times[2], 99, 1, 1)]));

        var read = await Store.ReadAgentSamplesAsync(Tenant, agent, times[1], times[5]).ToListAsync();

        Assert.Equal(times[1..5], read.Select(s => s.At));
        Assert.Equal(new AgentSample(agent, times[3], 10, 512.5, 20), read[2]);
        Assert.All(read, s => Assert.Equal(agent, s.AgentId));
    }

    [Fact]
    public async Task Purging_rollups_deletes_those_of_the_resolution_that_started_before_the_cutoff_up_to_the_limit()
    {
        var days = Enumerable.Range(0, 3).Select(i => Minute.AddDays(-i)).ToList();
        await Store.ApplyAsync(Batch("m", [.. days.SelectMany(day => new[] { Rollup("a", day, completed: 1), Rollup("b", day, completed: 1) })]));
        await Store.ApplyAsync(Batch("m", [Rollup("a", Minute.AddDays(-3), completed: 1)]) with { TenantId = "other" });
        await Store.ApplyAsync(Batch("h", [Rollup("a", Hour.AddDays(-5), completed: 1, resolution: RollupResolution.Hour)]));

        // Before the newest day: the two older days of this tenant and the other tenant's, five in all.
        var first = await Store.PurgeRollupsAsync(RollupResolution.Minute, Minute, 3);
        var second = await Store.PurgeRollupsAsync(RollupResolution.Minute, Minute, 3);

        Assert.Equal((3, 2), (first, second));
        Assert.Equal(0, await Store.PurgeRollupsAsync(RollupResolution.Minute, Minute, 3));
        Assert.Equal(2, (await ReadAsync(RollupResolution.Minute, "", Minute.AddDays(-10), Minute.AddDays(1))).Count);
        Assert.Empty(await ReadAsync(RollupResolution.Minute, "", Minute.AddDays(-10), Minute.AddDays(1), "other"));
        Assert.Single(await ReadAsync(RollupResolution.Hour, "", Hour.AddDays(-10), Hour));
    }

    [Fact]
    public async Task Purging_samples_respects_the_cutoff_and_the_limit_and_forgets_old_batches()
    {
        var agent = Guid.CreateVersion7();
        var times = Enumerable.Range(0, 4).Select(i => Minute.AddSeconds(10 * i)).ToList();
        await Store.ApplyAsync(Batch("samples", [], [.. times.Select(at => new AgentSample(agent, at, 1, 1, 1))]));
        var counted = Batch("counted", Rollup(AnalyticsSeries.Tasks, Minute, completed: 1));
        await Store.ApplyAsync(counted);

        Assert.Equal(2, await Store.PurgeSamplesAsync(times[3], 2));
        Assert.Equal(1, await Store.PurgeSamplesAsync(times[3], 2));
        Assert.Equal([times[3]], (await Store.ReadAgentSamplesAsync(Tenant, agent, Minute, Minute.AddMinutes(1)).ToListAsync()).Select(s => s.At));

        // The counted batch's minute has not ended by the cutoff, so it is still known and a retry still counts once.
        await Store.ApplyAsync(counted);
        Assert.Equal(1, (await ReadAsync(RollupResolution.Minute, "", Minute, Minute.AddMinutes(1))).Single().Values.Counter(AnalyticsValues.Completed));

        // Once the cutoff passes it, its record goes (and what it counted stays).
        Assert.True(await Store.PurgeSamplesAsync(Minute.AddMinutes(2), 100) >= 2);
        Assert.Equal(0, await Store.PurgeSamplesAsync(Minute.AddMinutes(2), 100));
        await Store.ApplyAsync(counted);
        Assert.Equal(2, (await ReadAsync(RollupResolution.Minute, "", Minute, Minute.AddMinutes(1))).Single().Values.Counter(AnalyticsValues.Completed));
    }

    private async Task<List<AnalyticsRollup>> ReadAsync(RollupResolution resolution, string prefix, DateTimeOffset from, DateTimeOffset to, string tenant = Tenant) =>
        await Store.ReadRollupsAsync(tenant, resolution, prefix, from, to).ToListAsync();

    private static AnalyticsBatch Batch(string id, params AnalyticsRollup[] rollups) => new(Tenant, id, rollups, []);

    private static AnalyticsBatch Batch(string id, AnalyticsRollup[] rollups, AgentSample[] samples) => new(Tenant, id, rollups, samples);

    private static AnalyticsRollup Rollup(
        string series, DateTimeOffset start, long completed, long? queue = null, int[]? runTimeMs = null, RollupResolution resolution = RollupResolution.Minute)
    {
        var values = new RollupValues();
        values.Increment(AnalyticsValues.Completed, completed);
        if (queue is { } depth)
        {
            values.Sample("queue", depth);
        }

        foreach (var ms in runTimeMs ?? [])
        {
            values.Observe(AnalyticsValues.RunTime, TimeSpan.FromMilliseconds(ms));
        }

        return new AnalyticsRollup(series, resolution, start, values);
    }
}

public sealed class SqliteAnalyticsContract : AnalyticsContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureAnalyticsContract : AnalyticsContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
