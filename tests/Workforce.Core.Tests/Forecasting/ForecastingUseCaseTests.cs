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
        Assert.Null(await _forecasts.FindSeriesAsync(Platform.TenantId, "completions"));
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
        var announced = _platform.Store.SentMessages.Where(m => m.Queue is WorkQueues.Notifications or WorkQueues.NotificationsCritical)
            .Select(m => StoredJson.Deserialize<NotificationEvent>(m.Body)).Where(e => e.Type == NotificationEvents.ScalingRecommended).ToList();
        Assert.Equal(5, Assert.Single(announced).Data["agentsNow"]?.ToString() is { } agents ? int.Parse(agents, System.Globalization.CultureInfo.InvariantCulture) : 0);
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
