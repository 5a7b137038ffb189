using Workforce.Core.Analytics;
using Workforce.Core.Forecasting;

namespace Workforce.Storage.Tests;

/// <summary>
/// What every <see cref="IForecastStore"/> must do: model versions kept whole and listed newest first; one pointer,
/// one forecast per series and one recommendation per capability, each replaced whole; anomalies kept once per
/// tenant, series and hour, listed newest first within a range, purged by detection time across tenants; all of it
/// per tenant, whatever characters a series name holds.
/// </summary>
public abstract class ForecastsContract : IAsyncLifetime
{
    private const string Tenant = "forecasting";
    private const string Other = "someone-else";
    private const string Series = "submissions";
    private static readonly DateTimeOffset At = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);

    private IStorageBackend _backend = null!;

    private IForecastStore Store => _backend.Forecasts;

    public async ValueTask InitializeAsync() => _backend = await CreateBackendAsync();

    public async ValueTask DisposeAsync()
    {
        await _backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    [Fact]
    public async Task A_saved_version_reads_back_whole_and_a_save_under_the_same_number_replaces_it()
    {
        var version = Version(Series, 3) with
        {
            Parameters = new Dictionary<string, double> { ["alpha"] = 0.25, ["beta"] = 0.0125, ["gamma"] = 0.6 },
            Candidates =
            [
                new CandidateResult("seasonal-naive-24", new Dictionary<string, double>(), new BacktestMetrics(1, 0.3, 0.8)),
                new CandidateResult("holt-winters", new Dictionary<string, double> { ["alpha"] = 0.25 }, new BacktestMetrics(0.7, 0.2, 0.86)),
            ],
        };
        await Store.SaveAsync(version);
        await Store.SaveAsync(version with { Method = "combination", Backtest = new BacktestMetrics(0.65, 0.19, 0.9) });

        var found = await Store.FindVersionAsync(Tenant, Series, 3);

        Assert.NotNull(found);
        Assert.Equal(("combination", new BacktestMetrics(0.65, 0.19, 0.9)), (found.Method, found.Backtest));
        Assert.Equal((At.AddDays(-30), At, 1_440, At.AddMinutes(5)), (found.WindowStart, found.WindowEnd, found.Points, found.TrainedAt));
        Assert.Equal(version.Parameters, found.Parameters);
        Assert.Equal(["seasonal-naive-24", "holt-winters"], found.Candidates.Select(c => c.Method));
        Assert.Equal(new BacktestMetrics(0.7, 0.2, 0.86), found.Candidates[1].Backtest);
        Assert.Equal(0.25, found.Candidates[1].Parameters["alpha"]);
        Assert.Single(await Store.ListVersionsAsync(Tenant, Series, 10));
        Assert.Null(await Store.FindVersionAsync(Tenant, Series, 2));
        Assert.Null(await Store.FindVersionAsync(Tenant, "other-series", 3));
    }

    [Fact]
    public async Task The_retraining_progress_is_absent_until_saved_and_then_replaced_whole()
    {
        Assert.Null(await Store.FindRetrainingProgressAsync());

        await Store.SaveAsync(new RetrainingProgress("cursor|1", "tenant-7"));
        await Store.SaveAsync(new RetrainingProgress(null, "tenant-9"));

        Assert.Equal(new RetrainingProgress(null, "tenant-9"), await Store.FindRetrainingProgressAsync());
        Assert.Empty(await Store.ListSeriesAsync(AnalyticsSeries.PlatformTenant));
    }

    [Fact]
    public async Task Versions_are_listed_newest_first_by_number_up_to_the_limit()
    {
        foreach (var number in new[] { 2, 10, 1, 12, 9, 11, 3 })
        {
            await Store.SaveAsync(Version(Series, number));
        }

        await Store.SaveAsync(Version("other-series", 99));

        Assert.Equal([12, 11, 10], (await Store.ListVersionsAsync(Tenant, Series, 3)).Select(v => v.Version));
        Assert.Equal([12, 11, 10, 9, 3, 2, 1], (await Store.ListVersionsAsync(Tenant, Series, 100)).Select(v => v.Version));
        Assert.Equal([12], (await Store.ListVersionsAsync(Tenant, Series, 1)).Select(v => v.Version));
        Assert.Empty(await Store.ListVersionsAsync(Tenant, "never-trained", 10));
    }

    [Fact]
    public async Task A_series_pointer_is_replaced_whole_and_series_are_listed_in_series_order()
    {
        await Store.SaveAsync(new SeriesModels(Tenant, "errors", null, [], 1, At));
        await Store.SaveAsync(new SeriesModels(Tenant, "busy", 2, [1], 2, At));
        await Store.SaveAsync(new SeriesModels(Tenant, "completions", 1, [], 1, null));
        await Store.SaveAsync(new SeriesModels(Tenant, "busy", 4, [1, 2], 5, At.AddHours(1)));

        var busy = await Store.FindSeriesAsync(Tenant, "busy");

        Assert.NotNull(busy);
        Assert.Equal((4, 5, At.AddHours(1)), (busy.Current, busy.LatestVersion, busy.TrainedUpTo));
        Assert.Equal([1, 2], busy.Previous);
        var listed = await Store.ListSeriesAsync(Tenant);
        Assert.Equal(["busy", "completions", "errors"], listed.Select(s => s.Series));
        Assert.Equal(((int?)null, (DateTimeOffset?)At), (listed[2].Current, listed[2].TrainedUpTo));
        Assert.Null(listed[1].TrainedUpTo);
        Assert.Null(await Store.FindSeriesAsync(Tenant, "never-trained"));
    }

    [Fact]
    public async Task A_saved_forecast_replaces_the_series_one()
    {
        await Store.SaveAsync(Forecast(Series, 1, At, confident: false, points: 48));
        await Store.SaveAsync(Forecast("errors", 1, At, confident: true, points: 2));
        await Store.SaveAsync(Forecast(Series, 2, At.AddHours(1), confident: true, points: 3));

        var found = await Store.FindForecastAsync(Tenant, Series);

        Assert.NotNull(found);
        Assert.Equal((2, "holt-winters", At.AddHours(1), true), (found.ModelVersion, found.Method, found.MadeAt, found.Confident));
        Assert.Equal(
            [new ForecastPoint(At.AddHours(2), 11.5, 9, 14), new ForecastPoint(At.AddHours(3), 12.5, 10, 15), new ForecastPoint(At.AddHours(4), 13.5, 11, 16)],
            found.Points);
        Assert.Equal(2, (await Store.FindForecastAsync(Tenant, "errors"))?.Points.Count);
        Assert.Null(await Store.FindForecastAsync(Tenant, "never-forecast"));
    }

    [Fact]
    public async Task An_anomaly_is_kept_once_per_tenant_series_and_hour_and_adding_returns_only_the_new_ones()
    {
        var first = Anomaly(Series, At.AddHours(1), value: 40);
        var added = await Store.AddAsync([first, Anomaly("errors", At.AddHours(1))]);

        // The same series and hour again (at another minute, detected later, with other values), beside new ones.
        var again = await Store.AddAsync(
        [
            Anomaly(Series, At.AddHours(1).AddMinutes(30), value: 99) with { DetectedAt = At.AddHours(3) },
            Anomaly(Series, At.AddHours(2)),
            Anomaly(Series, At.AddHours(1), value: 7) with { TenantId = Other },
            Anomaly(Series, At.AddHours(2), value: 55),
        ]);

        Assert.Equal(2, added.Count);
        Assert.Equal([(Tenant, At.AddHours(2), 10.0), (Other, At.AddHours(1), 7.0)], again.Select(a => (a.TenantId, a.At, a.Value)));
        Assert.Empty(await Store.AddAsync([first]));
        Assert.Empty(await Store.AddAsync([]));
        var kept = await Store.ListAnomaliesAsync(Tenant, At, At.AddDays(1), 10);
        Assert.Equal([(Series, At.AddHours(2)), ("errors", At.AddHours(1)), (Series, At.AddHours(1))], kept.Select(a => (a.Series, a.At)));
        Assert.Equal(first, kept.Single(a => a.Series == Series && a.At == At.AddHours(1)));
    }

    [Fact]
    public async Task Anomalies_are_listed_newest_first_from_the_start_up_to_but_not_including_the_end()
    {
        await Store.AddAsync(
        [
            Anomaly(Series, At.AddHours(-1)),
            Anomaly(Series, At),
            Anomaly(Series, At.AddHours(3)),
            Anomaly("errors", At.AddHours(1)),
            Anomaly("errors", At.AddHours(4)),
            Anomaly(Series, At.AddHours(5)),
            Anomaly(Series, At.AddHours(2)) with { TenantId = Other },
        ]);

        var inRange = await Store.ListAnomaliesAsync(Tenant, At, At.AddHours(5), 10);
        var limited = await Store.ListAnomaliesAsync(Tenant, At, At.AddHours(5), 2);

        Assert.Equal([At.AddHours(4), At.AddHours(3), At.AddHours(1), At], inRange.Select(a => a.At));
        Assert.Equal(["errors", Series, "errors", Series], inRange.Select(a => a.Series));
        Assert.Equal([At.AddHours(4), At.AddHours(3)], limited.Select(a => a.At));
        Assert.Equal([At.AddHours(5)], (await Store.ListAnomaliesAsync(Tenant, At.AddHours(5), At.AddHours(5).AddTicks(1), 10)).Select(a => a.At));
        Assert.Empty(await Store.ListAnomaliesAsync(Tenant, At.AddHours(4).AddTicks(1), At.AddHours(5), 10));
        Assert.Empty(await Store.ListAnomaliesAsync(Tenant, At.AddHours(5), At, 10));
    }

    [Fact]
    public async Task Anomalies_at_the_same_time_are_listed_by_series()
    {
        await Store.AddAsync([Anomaly("throughput", At), Anomaly("errors", At), Anomaly("latency", At), Anomaly("errors", At.AddHours(-1))]);

        Assert.Equal(["errors", "latency", "throughput", "errors"], (await Store.ListAnomaliesAsync(Tenant, At.AddDays(-1), At.AddDays(1), 10)).Select(a => a.Series));
    }

    [Fact]
    public async Task A_recommendation_replaces_the_capability_one_and_they_are_listed_in_capability_order()
    {
        await Store.SaveAsync(Recommendation("render", 3));
        await Store.SaveAsync(Recommendation("*", 10));
        await Store.SaveAsync(Recommendation("gpu", 1));
        await Store.SaveAsync(Recommendation("render", 5) with { ModelVersion = 4, MadeAt = At.AddHours(1) });

        var listed = await Store.ListRecommendationsAsync(Tenant);

        Assert.Equal(["*", "gpu", "render"], listed.Select(r => r.Capability));
        var render = listed[2];
        Assert.Equal((4, At.AddHours(1), 0.7), (render.ModelVersion, render.MadeAt, render.TargetUtilisation));
        Assert.Equal([new AgentsAt(At.AddHours(1), 5), new AgentsAt(At.AddHours(2), 6)], render.Hours);
    }

    [Fact]
    public async Task Each_tenant_sees_only_its_own_versions_series_forecasts_anomalies_and_recommendations()
    {
        await Store.SaveAsync(Version(Series, 1));
        await Store.SaveAsync(new SeriesModels(Tenant, Series, 1, [], 1, At));
        await Store.SaveAsync(Forecast(Series, 1, At, confident: true, points: 1));
        await Store.AddAsync([Anomaly(Series, At)]);
        await Store.SaveAsync(Recommendation("render", 2));
        await Store.SaveAsync(Version(Series, 2) with { TenantId = Other });
        await Store.SaveAsync(Recommendation("gpu", 2) with { TenantId = Other });

        Assert.Null(await Store.FindVersionAsync(Other, Series, 1));
        Assert.Equal([2], (await Store.ListVersionsAsync(Other, Series, 10)).Select(v => v.Version));
        Assert.Equal([1], (await Store.ListVersionsAsync(Tenant, Series, 10)).Select(v => v.Version));
        Assert.Null(await Store.FindSeriesAsync(Other, Series));
        Assert.Empty(await Store.ListSeriesAsync(Other));
        Assert.Null(await Store.FindForecastAsync(Other, Series));
        Assert.Empty(await Store.ListAnomaliesAsync(Other, At.AddDays(-1), At.AddDays(1), 10));
        Assert.Equal(["gpu"], (await Store.ListRecommendationsAsync(Other)).Select(r => r.Capability));
        Assert.Equal(["render"], (await Store.ListRecommendationsAsync(Tenant)).Select(r => r.Capability));
        Assert.Empty(await Store.ListSeriesAsync("nobody"));
    }

    [Fact]
    public async Task Purging_deletes_anomalies_of_any_tenant_detected_before_the_cutoff_up_to_the_limit()
    {
        await Store.AddAsync(
        [
            Anomaly(Series, At.AddDays(-3)) with { DetectedAt = At.AddDays(-3) },
            Anomaly(Series, At.AddDays(-2)) with { DetectedAt = At.AddDays(-2), TenantId = Other },
            Anomaly("errors", At.AddDays(-1)) with { DetectedAt = At.AddTicks(-1) },
            // Long ago, but detected at the cutoff: kept.
            Anomaly(Series, At.AddDays(-4)) with { DetectedAt = At },
            Anomaly(Series, At.AddHours(1)) with { DetectedAt = At.AddHours(1) },
        ]);

        var first = await Store.PurgeAnomaliesAsync(At, 2);
        var second = await Store.PurgeAnomaliesAsync(At, 2);

        Assert.Equal((2, 1), (first, second));
        Assert.Equal(0, await Store.PurgeAnomaliesAsync(At, 2));
        Assert.Equal([At.AddHours(1), At.AddDays(-4)], (await Store.ListAnomaliesAsync(Tenant, At.AddDays(-10), At.AddDays(1), 10)).Select(a => a.At));
        Assert.Empty(await Store.ListAnomaliesAsync(Other, At.AddDays(-10), At.AddDays(1), 10));

        // A purged hour is free again.
        Assert.Single(await Store.AddAsync([Anomaly(Series, At.AddDays(-3)) with { DetectedAt = At.AddHours(2) }]));
    }

    [Fact]
    public async Task The_oldest_detections_are_purged_first()
    {
        await Store.AddAsync(
        [
            Anomaly("b", At) with { DetectedAt = At.AddMinutes(-1) },
            Anomaly("a", At) with { DetectedAt = At.AddMinutes(-3), TenantId = Other },
            Anomaly("c", At) with { DetectedAt = At.AddMinutes(-2) },
        ]);

        Assert.Equal(2, await Store.PurgeAnomaliesAsync(At, 2));

        Assert.Equal(["b"], (await Store.ListAnomaliesAsync(Tenant, At, At.AddHours(1), 10)).Select(a => a.Series));
        Assert.Empty(await Store.ListAnomaliesAsync(Other, At, At.AddHours(1), 10));
    }

    [Theory]
    [InlineData("queue/render | gpu", "queue/render")]
    [InlineData("a|b", "a")]
    [InlineData("50% of c:\\tmp #1?", "50% of c:")]
    [InlineData("zeit/größe", "zeit")]
    public async Task A_series_name_holding_slashes_bars_and_spaces_keeps_its_records_apart_from_others(string series, string neighbour)
    {
        await Store.SaveAsync(Version(series, 1));
        await Store.SaveAsync(Version(series, 2));
        await Store.SaveAsync(Version(neighbour, 7));
        await Store.SaveAsync(new SeriesModels(Tenant, series, 2, [1], 2, At));
        await Store.SaveAsync(new SeriesModels(Tenant, neighbour, 7, [], 7, At));
        await Store.SaveAsync(Forecast(series, 2, At, confident: true, points: 2));
        await Store.AddAsync([Anomaly(series, At), Anomaly(neighbour, At)]);
        await Store.SaveAsync(Recommendation(series, 4));

        Assert.Equal([2, 1], (await Store.ListVersionsAsync(Tenant, series, 10)).Select(v => v.Version));
        Assert.Equal([7], (await Store.ListVersionsAsync(Tenant, neighbour, 10)).Select(v => v.Version));
        Assert.Equal(series, (await Store.FindVersionAsync(Tenant, series, 2))?.Series);
        Assert.Equal(2, (await Store.FindSeriesAsync(Tenant, series))?.Current);
        Assert.Equal(new[] { neighbour, series }.Order(StringComparer.Ordinal), (await Store.ListSeriesAsync(Tenant)).Select(s => s.Series));
        Assert.Equal(series, (await Store.FindForecastAsync(Tenant, series))?.Series);
        Assert.Null(await Store.FindForecastAsync(Tenant, neighbour));
        Assert.Equal(new[] { neighbour, series }.Order(StringComparer.Ordinal), (await Store.ListAnomaliesAsync(Tenant, At, At.AddHours(1), 10)).Select(a => a.Series));
        Assert.Empty(await Store.AddAsync([Anomaly(series, At.AddMinutes(10))]));
        Assert.Equal([series], (await Store.ListRecommendationsAsync(Tenant)).Select(r => r.Capability));
        Assert.Equal(2, await Store.PurgeAnomaliesAsync(At.AddDays(1), 10));
    }

    private static ModelVersion Version(string series, int number) => new(
        Tenant,
        series,
        number,
        "holt-winters",
        new Dictionary<string, double> { ["alpha"] = 0.1 * number },
        new BacktestMetrics(0.8, 0.2, 0.86),
        [],
        At.AddDays(-30),
        At,
        1_440,
        At.AddMinutes(5));

    private static SeriesForecast Forecast(string series, int version, DateTimeOffset madeAt, bool confident, int points) => new(
        Tenant,
        series,
        version,
        "holt-winters",
        madeAt,
        confident,
        [.. Enumerable.Range(1, points).Select(h => new ForecastPoint(madeAt.AddHours(h), 10.5 + h, 8 + h, 13 + h))]);

    private static RecordedAnomaly Anomaly(string series, DateTimeOffset at, double value = 10) =>
        new(Tenant, series, at, value, 3.5, 6.25, at.AddMinutes(2));

    private static ScalingRecommendation Recommendation(string capability, int agents) =>
        new(Tenant, capability, At, 2, 0.7, [new AgentsAt(At.AddHours(1), agents), new AgentsAt(At.AddHours(2), agents + 1)]);
}

public sealed class SqliteForecastsContract : ForecastsContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureForecastsContract : ForecastsContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
