using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Core.Analytics;
using Workforce.Core.Forecasting;
using Workforce.Core.Notifications;
using Workforce.Core.Queues;
using Workforce.Core.Storage;

namespace Workforce.Core.Tests.Forecasting;

/// <summary>Training, promotion, rollback and advice over the rollups, with the real models on generated history.</summary>
public sealed class ForecastingUseCaseTests
{
    private readonly Platform _platform = new();
    private readonly InMemoryForecastStore _forecasts = new();
    private readonly ForecastingOptions _options = new();

    [Theory]
    [InlineData("completions", ForecastMetric.Completions, null)]
    [InlineData("busyAgentHours:gpu,translate", ForecastMetric.BusyAgentHours, "gpu,translate")]
    [InlineData("errorRate:*", ForecastMetric.ErrorRate, "*")]
    public void A_series_name_reads_back_as_its_metric_and_capability_set(string name, ForecastMetric metric, string? capabilities)
    {
        var series = ForecastSeries.Parse(name)!;

        Assert.Equal(new ForecastSeries(metric, capabilities), series);
        Assert.Equal(name, series.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("latency")]
    [InlineData("completions:")]
    public void A_name_that_is_no_series_is_refused(string name) => Assert.Null(ForecastSeries.Parse(name));

    [Fact]
    public async Task A_series_with_fewer_than_a_thousand_hours_is_not_trained()
    {
        await SeedHoursAsync(hours: 600, level: 100);

        var outcome = await Train().ExecuteAsync(Platform.TenantId, new ForecastSeries(ForecastMetric.Completions));

        Assert.Null(outcome.Trained);
        Assert.Contains("1000", outcome.Skipped, StringComparison.Ordinal);
        var read = (await _forecasts.FindSeriesAsync(Platform.TenantId, "completions"))!;
        Assert.Equal((null, 0), (read.Current, read.LatestVersion));
        Assert.Empty(await new QueryForecastModels(_forecasts).ExecuteAsync(Platform.Tenant));
    }

    [Theory]
    [InlineData(0.9, null, true)]
    [InlineData(1.0, null, false)]
    [InlineData(0.6, 0.7, true)]
    [InlineData(0.7, 0.7, false)]
    [InlineData(0.8, 0.7, false)]
    public void A_version_is_promoted_only_below_seasonal_naive_and_the_version_in_service(double mase, double? inService, bool promoted) =>
        Assert.Equal(promoted, new BacktestMetrics(mase, 10, 0.9).Beats(inService is { } current ? new BacktestMetrics(current, 10, 0.9) : null));

    [Fact]
    public async Task A_new_version_worse_than_the_one_in_service_is_kept_but_not_promoted()
    {
        var series = new ForecastSeries(ForecastMetric.Completions);
        await SeedHoursAsync(hours: 1_300, level: 100);
        await Train().ExecuteAsync(Platform.TenantId, series);
        var first = (await _forecasts.FindVersionAsync(Platform.TenantId, "completions", 1))!;
        await _forecasts.SaveAsync(first with { Backtest = first.Backtest with { Mase = 0.01 } });

        var outcome = await Train().ExecuteAsync(Platform.TenantId, series);

        Assert.True(outcome.Trained!.Backtest.Mase < 1, "the new version beats seasonal-naive; only the version in service is better");
        Assert.False(outcome.Promoted);
        var models = (await _forecasts.FindSeriesAsync(Platform.TenantId, "completions"))!;
        Assert.Equal((1, 2), (models.Current, models.LatestVersion));
        Assert.Equal(1, (await _forecasts.FindForecastAsync(Platform.TenantId, "completions"))!.ModelVersion);
    }

    [Theory]
    [InlineData(0.849, false)]
    [InlineData(0.85, true)]
    [InlineData(0.97, true)]
    public async Task A_forecast_is_confident_when_its_measured_coverage_reaches_the_threshold(double coverage, bool confident)
    {
        await SeedHoursAsync(hours: 1_300, level: 100);
        var version = (await Train().ExecuteAsync(Platform.TenantId, new ForecastSeries(ForecastMetric.Completions))).Trained!;

        var forecast = Train().ForecastOf(version with { Backtest = version.Backtest with { Coverage = coverage } }, [], _platform.Clock.GetUtcNow());

        Assert.Equal(confident, forecast.Confident);
    }

    [Fact]
    public async Task An_anomaly_is_recorded_and_announced_once_however_often_its_hour_is_seen()
    {
        var series = new ForecastSeries(ForecastMetric.Completions);
        await SeedHoursAsync(hours: 1_300, level: 100);
        Assert.NotNull((await Train().ExecuteAsync(Platform.TenantId, series)).InService);
        var spike = AnalyticsRollup.StartOf(RollupResolution.Hour, _platform.Clock.GetUtcNow()).AddHours(-3);
        var extra = new RollupValues();
        extra.Increment(AnalyticsValues.Completed, 400);
        await _platform.AnalyticsStore.ApplyAsync(new AnalyticsBatch(Platform.TenantId, "spike", [new AnalyticsRollup(AnalyticsSeries.Tasks, RollupResolution.Hour, spike, extra)], []));

        var first = await Train().ExecuteAsync(Platform.TenantId, series);
        var again = await Train().ExecuteAsync(Platform.TenantId, series);

        var recorded = await _forecasts.ListAnomaliesAsync(Platform.TenantId, spike.AddDays(-1), spike.AddDays(1), 100);
        Assert.Contains(recorded, anomaly => anomaly.At == spike && anomaly.Series == "completions");
        Assert.Equal(recorded.Count, first.NewAnomalies);
        Assert.Equal(0, again.NewAnomalies);
        Assert.Equal(recorded.Count, Announced(NotificationEvents.AnomalyDetected).Count);
    }

    [Fact]
    public async Task The_hour_in_progress_is_what_happened_so_far_plus_the_forecasts_share_of_the_rest()
    {
        var hour = AnalyticsRollup.StartOf(RollupResolution.Hour, _platform.Clock.GetUtcNow());
        await _forecasts.SaveAsync(new SeriesForecast(Platform.TenantId, "completions", 1, "holtWinters", hour, Confident: true,
            [new ForecastPoint(hour, 100, 80, 120), new ForecastPoint(hour.AddHours(1), 100, 80, 120)]));
        await _platform.AnalyticsStore.ApplyAsync(new AnalyticsBatch(Platform.TenantId, "minutes",
            [MinuteOf(hour.AddMinutes(5), completed: 15), MinuteOf(hour.AddMinutes(20), completed: 25)], []));
        _platform.Clock.Advance(TimeSpan.FromMinutes(30));

        var forecast = Assert.Single((await new QueryForecasts(_forecasts, _platform.AnalyticsStore, _platform.Clock).ExecuteAsync(Platform.Tenant, "completions")).Value!);

        Assert.Equal(new ForecastPoint(hour, 90, 80, 100), forecast.Points[0]);
        Assert.Equal(new ForecastPoint(hour.AddHours(1), 100, 80, 120), forecast.Points[1]);
    }

    [Fact]
    public async Task A_first_version_that_beats_seasonal_naive_goes_into_service_with_its_forecast()
    {
        await SeedHoursAsync(hours: 1_300, level: 100);

        var outcome = await Train().ExecuteAsync(Platform.TenantId, new ForecastSeries(ForecastMetric.Completions));

        Assert.True(outcome.Promoted, $"MASE {outcome.Trained!.Backtest.Mase}");
        var models = (await _forecasts.FindSeriesAsync(Platform.TenantId, "completions"))!;
        Assert.Equal(1, models.Current);
        var forecast = (await _forecasts.FindForecastAsync(Platform.TenantId, "completions"))!;
        Assert.Equal(_options.HorizonHours, forecast.Points.Count);
        Assert.Equal(AnalyticsRollup.StartOf(RollupResolution.Hour, _platform.Clock.GetUtcNow()), forecast.Points[0].At);
    }

    [Fact]
    public async Task A_crash_between_the_version_and_the_pointer_leaves_the_version_in_service()
    {
        await SeedHoursAsync(hours: 1_300, level: 100);
        await Train().ExecuteAsync(Platform.TenantId, new ForecastSeries(ForecastMetric.Completions));
        _platform.Clock.Advance(TimeSpan.FromHours(1));
        _forecasts.FailPointerWrites = true;

        await Assert.ThrowsAsync<IOException>(() => Train().ExecuteAsync(Platform.TenantId, new ForecastSeries(ForecastMetric.Completions)));

        Assert.Equal(1, (await _forecasts.FindSeriesAsync(Platform.TenantId, "completions"))!.Current);
        Assert.NotNull(await _forecasts.FindVersionAsync(Platform.TenantId, "completions", 2));
        Assert.Equal(1, (await _forecasts.FindForecastAsync(Platform.TenantId, "completions"))!.ModelVersion);
    }

    [Fact]
    public async Task A_rollback_returns_to_the_version_in_service_before_and_a_series_without_one_is_a_conflict()
    {
        var series = new ForecastSeries(ForecastMetric.Completions);
        await SeedHoursAsync(hours: 1_300, level: 100);
        await Train().ExecuteAsync(Platform.TenantId, series);
        var rollBack = new RollBackModel(_forecasts, History(), Train(), _options, _platform.Clock);
        Assert.Equal(FailureKind.Conflict, (await rollBack.ExecuteAsync(Platform.Tenant, "completions")).Failure?.Kind);
        await _forecasts.SaveAsync((await _forecasts.FindSeriesAsync(Platform.TenantId, "completions"))! with { Current = 2, Previous = [1], LatestVersion = 2 });
        await _forecasts.SaveAsync((await _forecasts.FindVersionAsync(Platform.TenantId, "completions", 1))! with { Version = 2 });

        var restored = await rollBack.ExecuteAsync(Platform.Tenant, "completions");

        Assert.Equal(1, restored.Value!.Current);
        Assert.Empty(restored.Value.Previous);
        Assert.Equal(1, (await _forecasts.FindForecastAsync(Platform.TenantId, "completions"))!.ModelVersion);
        Assert.Equal(FailureKind.NotFound, (await rollBack.ExecuteAsync(Caller.Tenant("globex"), "completions")).Failure?.Kind);
    }

    [Fact]
    public async Task Confident_busy_hours_become_agents_at_the_target_utilisation_and_are_announced_once()
    {
        for (var i = 0; i < 3; i++)
        {
            await _platform.RegisterAsync(capacity: 2);
        }

        var now = _platform.Clock.GetUtcNow();
        var forecast = new SeriesForecast(Platform.TenantId, "busyAgentHours", 1, "holtWinters", now, Confident: true,
            [new ForecastPoint(now, 7, 6, 8), new ForecastPoint(now.AddHours(1), 1.4, 1, 2)]);
        var recommend = new RecommendScaling(_forecasts, _platform.Store, _options, _platform.Clock);

        var made = await recommend.ExecuteAsync(forecast);
        var again = await recommend.ExecuteAsync(forecast);
        var unsure = await recommend.ExecuteAsync(forecast with { Confident = false, Points = [new ForecastPoint(now, 70, 0, 100)] });

        Assert.Equal([5, 1], made!.Hours.Select(hour => hour.Agents));
        Assert.Null(again);
        Assert.Null(unsure);
        Assert.Equal(5, Assert.Single(Announced(NotificationEvents.ScalingRecommended)).Data["agentsNow"]?.ToString() is { } agents ? int.Parse(agents, System.Globalization.CultureInfo.InvariantCulture) : 0);
    }

    private List<NotificationEvent> Announced(string type) =>
        [.. _platform.Store.SentMessages.Where(m => m.Queue is WorkQueues.Notifications or WorkQueues.NotificationsCritical)
            .Select(m => StoredJson.Deserialize<NotificationEvent>(m.Body)).Where(e => e.Type == type)];

    private static AnalyticsRollup MinuteOf(DateTimeOffset at, long completed)
    {
        var values = new RollupValues();
        values.Increment(AnalyticsValues.Completed, completed);
        return new AnalyticsRollup(AnalyticsSeries.Tasks, RollupResolution.Minute, at, values);
    }

    private TrainSeries Train() =>
        new(History(), _forecasts, _platform.Store, _options, _platform.Clock, NullLogger<TrainSeries>.Instance);

    private ReadSeriesHistory History() => new(_platform.AnalyticsStore, _options, _platform.Clock);

    /// <summary>Hourly completions ending at the last whole hour: a daily and a weekly cycle around a level, with a little noise.</summary>
    private async Task SeedHoursAsync(int hours, double level)
    {
        var random = new Random(3);
        var end = AnalyticsRollup.StartOf(RollupResolution.Hour, _platform.Clock.GetUtcNow());
        var rollups = new List<AnalyticsRollup>();
        for (var i = 0; i < hours; i++)
        {
            var at = end.AddHours(i - hours);
            var daily = Math.Sin(2 * Math.PI * at.Hour / 24);
            var weekly = at.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? -0.4 : 0.1;
            var values = new RollupValues();
            values.Increment(AnalyticsValues.Completed, (long)Math.Max(0, level * (1 + (0.5 * daily) + weekly) + (random.NextDouble() * 6)));
            rollups.Add(new AnalyticsRollup(AnalyticsSeries.Tasks, RollupResolution.Hour, at, values));
        }

        await _platform.AnalyticsStore.ApplyAsync(new AnalyticsBatch(Platform.TenantId, "seed", rollups, []));
    }
}
