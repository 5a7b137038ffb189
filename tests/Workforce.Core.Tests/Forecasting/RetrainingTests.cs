using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Core.Forecasting;
using Workforce.Core.Storage;
using Workforce.Core.Tenants;

namespace Workforce.Core.Tests.Forecasting;

/// <summary>
/// Which series a retraining reads, and in which order, over tenants without history: every series is then read
/// and found too short, which is as much a read as a training for the budget.
/// </summary>
public sealed class RetrainingTests
{
    private const int SeriesPerTenant = 5;

    private readonly Platform _platform = new();
    private readonly InMemoryForecastStore _forecasts = new();
    private readonly ForecastingOptions _options = new();

    [Fact]
    public async Task A_series_read_this_hour_is_not_read_again_until_the_next()
    {
        var retrain = RetrainTenant();

        var first = await retrain.ExecuteAsync("acme", budget: 100);
        var sameHour = await retrain.ExecuteAsync("acme", budget: 100);
        _platform.Clock.Advance(TimeSpan.FromHours(1));
        var nextHour = await retrain.ExecuteAsync("acme", budget: 100);

        Assert.Equal(SeriesPerTenant, first.Count);
        Assert.All(first, outcome => Assert.StartsWith("0 hourly points", outcome.Skipped, StringComparison.Ordinal));
        Assert.Empty(sameHour);
        Assert.Equal(SeriesPerTenant, nextHour.Count);
    }

    [Fact]
    public async Task A_tenant_with_more_series_than_the_budget_reads_those_read_longest_ago_first()
    {
        var retrain = RetrainTenant();

        var first = await retrain.ExecuteAsync("acme", budget: 2);
        _platform.Clock.Advance(TimeSpan.FromHours(1));
        var second = await retrain.ExecuteAsync("acme", budget: 2);
        var third = await retrain.ExecuteAsync("acme", budget: 2);

        Assert.Equal(["submissions", "completions"], first.Select(outcome => outcome.Series.Name));
        Assert.Equal(["busyAgentHours", "errorRate"], second.Select(outcome => outcome.Series.Name));
        Assert.Equal(["scheduleToStartP95", "submissions"], third.Select(outcome => outcome.Series.Name));
    }

    [Fact]
    public async Task Hourly_runs_whose_budget_ends_at_the_first_tenant_still_reach_every_tenant_in_turn()
    {
        var step = new RetrainNextTenants(new ListedTenants("t1", "t2", "t3"), _forecasts, RetrainTenant());
        var visited = new List<IReadOnlyList<int>>();

        for (var run = 0; run < 6; run++)
        {
            var spent = await RunAsync(step, budget: 4);
            Assert.Equal(4, spent);
            visited.Add([.. await Task.WhenAll(new[] { "t1", "t2", "t3" }.Select(async tenant => (await _forecasts.ListSeriesAsync(tenant)).Count))]);
            _platform.Clock.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal([4, 4, 4], visited[2]);
        Assert.Equal([SeriesPerTenant, SeriesPerTenant, SeriesPerTenant], visited[5]);
    }

    [Fact]
    public async Task A_run_with_budget_to_spare_stops_at_the_last_tenant_and_the_next_starts_at_the_first()
    {
        var step = new RetrainNextTenants(new ListedTenants("t1", "t2", "t3"), _forecasts, RetrainTenant());

        var first = await step.ExecuteAsync(pageSize: 2, budget: 100);
        var second = await step.ExecuteAsync(pageSize: 2, budget: 100 - first.Read);
        _platform.Clock.Advance(TimeSpan.FromHours(1));
        var nextRun = await step.ExecuteAsync(pageSize: 2, budget: 100);

        Assert.Equal((2 * SeriesPerTenant, false), (first.Read, first.ReachedEnd));
        Assert.Equal((SeriesPerTenant, true), (second.Read, second.ReachedEnd));
        Assert.Equal(2 * SeriesPerTenant, nextRun.Read);
    }

    /// <summary>What <c>ForecastRetrainingOrchestrator</c> does with its steps.</summary>
    private static async Task<int> RunAsync(RetrainNextTenants step, int budget)
    {
        var read = 0;
        while (true)
        {
            var result = await step.ExecuteAsync(pageSize: 2, budget - read);
            read += result.Read;
            if (result.BudgetSpent || result.ReachedEnd)
            {
                return read;
            }
        }
    }

    private RetrainTenant RetrainTenant() => new(
        _platform.AnalyticsStore,
        _forecasts,
        new TrainSeries(new ReadSeriesHistory(_platform.AnalyticsStore, _options, _platform.Clock), _forecasts, _platform.Store, _options, _platform.Clock, NullLogger<TrainSeries>.Instance),
        new RecommendScaling(_forecasts, _platform.Store, _options, _platform.Clock),
        _platform.Clock);

    /// <summary>A directory that only lists tenant ids, paged by position.</summary>
    private sealed class ListedTenants(params string[] ids) : ITenantDirectory
    {
        public Task<Page<string>> ListTenantIdsAsync(PageRequest page, CancellationToken cancellationToken = default)
        {
            var start = page.Cursor is null ? 0 : int.Parse(page.Cursor, System.Globalization.CultureInfo.InvariantCulture);
            var end = Math.Min(ids.Length, start + page.Limit);
            return Task.FromResult(new Page<string>(ids[start..end], end < ids.Length ? end.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
        }

        public Task<Caller?> FindCallerAsync(string keyHash, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Tenant?> FindTenantAsync(string tenantId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> TryCreateTenantAsync(Tenant tenant, string keyHash, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task AddTenantKeyAsync(string tenantId, string keyHash, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
