using Workforce.Core.Forecasting;
using Workforce.Core.Forecasting.Synthetic;

namespace Workforce.Core.Tests.Forecasting;

public sealed class ForecasterTests
{
    private static readonly ForecastSettings Defaults = new();

    [Fact]
    public void A_series_with_fewer_than_a_thousand_observed_hours_does_not_train()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(), 1_200, seed: 1);
        Array.Fill(series.Values, double.NaN, 500, 201);
        Assert.Equal(999, series.Values.Count(v => !double.IsNaN(v)));

        var error = Assert.ThrowsAny<ArgumentException>(() => Forecaster.Train(series.ToHourly(), Defaults));
        Assert.Contains("1,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_forecast_covers_the_horizon_after_the_history_with_ordered_non_negative_bounds()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.1), 1_500, seed: 2);

        var result = Forecaster.Train(series.ToHourly(), Defaults with { Horizon = 60 });

        Assert.Equal(60, result.Forecast.Count);
        for (var h = 0; h < 60; h++)
        {
            var point = result.Forecast[h];
            Assert.Equal(series.Start.AddHours(1_500 + h), point.At);
            Assert.True(point.Lower >= 0 && point.Lower <= point.Value && point.Value <= point.Upper, $"hour {h}: {point}");
            Assert.True(point.Upper > point.Lower, $"hour {h} has an empty interval: {point}");
        }
        Assert.Equal(Forecaster.Methods, result.Candidates.Select(c => c.Method));
        Assert.Equal(result.Candidates.Min(c => c.Backtest.Mase), result.Chosen.Backtest.Mase);
    }

    [Fact]
    public void On_a_clean_double_seasonal_series_every_model_forecasts_the_pattern()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0), 1_344, seed: 3);

        var result = Forecaster.Train(series.ToHourly(), Defaults with { Horizon = 168 });

        var hw = Forecaster.Forecast(series.ToHourly(), "holtWinters", result.Candidates.Single(c => c.Method == "holtWinters").Parameters, Defaults with { Horizon = 168 });
        for (var h = 0; h < 168; h++)
        {
            var expected = Expected(series, 1_344 + h);
            Assert.InRange(hw[h].Value, expected - 1, expected + 1);
            Assert.InRange(result.Forecast[h].Value, expected - 1, expected + 1);
        }
        Assert.True(result.Candidates.Single(c => c.Method == "seasonalNaive168").Backtest.Mase < 1e-9);
        Assert.True(result.Candidates.Single(c => c.Method == "holtWinters").Backtest.Mase < 0.02);
        // The daily-only baseline cannot know the weekend is coming.
        Assert.True(result.Candidates.Single(c => c.Method == "seasonalNaive24").Backtest.Mase > 0.1);
    }

    [Fact]
    public void Holt_winters_beats_seasonal_naive_on_noisy_double_seasonal_data()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.15, TrendPerWeek: 0.02), 2_000, seed: 4);

        var result = Forecaster.Train(series.ToHourly(), Defaults);

        var hw = result.Candidates.Single(c => c.Method == "holtWinters").Backtest;
        var naive = result.Candidates.Single(c => c.Method == "seasonalNaive168").Backtest;
        Assert.True(hw.Mase < 1, $"Holt-Winters MASE {hw.Mase}");
        Assert.True(hw.Mase < naive.Mase * 0.85, $"Holt-Winters MASE {hw.Mase}, seasonal naive {naive.Mase}");
        Assert.True(hw.Smape < naive.Smape, $"sMAPE {hw.Smape} vs {naive.Smape}");
        Assert.NotEqual("seasonalNaive168", result.Chosen.Method);
        Assert.NotEqual("seasonalNaive24", result.Chosen.Method);
    }

    [Fact]
    public void Forecasting_with_the_trained_parameters_reproduces_the_trained_forecast()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.1), 1_400, seed: 5);

        var result = Forecaster.Train(series.ToHourly(), Defaults);
        var again = Forecaster.Forecast(series.ToHourly(), result.Chosen.Method, result.Chosen.Parameters, Defaults);

        Assert.Equal(result.Forecast, again);
    }

    [Fact]
    public void Gaps_are_bridged_and_leading_gaps_skipped()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.1, GapShare: 0.1), 1_600, seed: 6);
        var values = Enumerable.Repeat(double.NaN, 30).Concat(series.Values).ToArray();
        var history = new HourlySeries(series.Start.AddHours(-30), values);

        var result = Forecaster.Train(history, Defaults);

        Assert.All(result.Forecast, p => Assert.True(double.IsFinite(p.Value) && double.IsFinite(p.Lower) && double.IsFinite(p.Upper)));
        Assert.Equal(series.Start.AddHours(1_600), result.Forecast[0].At);
        Assert.All(result.Candidates.Where(c => c.Method != "seasonalNaive24"), c => Assert.True(c.Backtest.Mase < 1.2, $"{c.Method}: {c.Backtest}"));
        var hw = result.Candidates.Single(c => c.Method == "holtWinters");
        for (var h = 0; h < 48; h++)
        {
            var expected = Expected(series, 1_600 + h);
            Assert.InRange(Forecaster.Forecast(history, "holtWinters", hw.Parameters, Defaults)[h].Value, expected - 25, expected + 25);
        }
    }

    [Fact]
    public void Intermittent_low_volume_demand_gives_non_negative_forecasts_and_bounds()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Level: 0.4, DailyAmplitude: 0.9, WeeklyAmplitude: 0.5, PoissonCounts: true), 1_200, seed: 7);

        var result = Forecaster.Train(series.ToHourly(), Defaults);

        Assert.All(result.Forecast, p => Assert.True(p.Lower >= 0 && p.Value >= 0 && p.Upper >= p.Value));
        Assert.All(result.Candidates, c => Assert.InRange(c.Backtest.Smape, 0, 200));
    }

    [Fact]
    public void After_a_level_shift_holt_winters_follows_the_new_level()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.05, LevelShiftAt: 1_500, LevelShiftFactor: 1.5), 1_700, seed: 8);

        var result = Forecaster.Train(series.ToHourly(), Defaults);

        var hw = result.Candidates.Single(c => c.Method == "holtWinters").Backtest;
        var naive = result.Candidates.Single(c => c.Method == "seasonalNaive168").Backtest;
        Assert.True(hw.Mase < naive.Mase, $"Holt-Winters {hw.Mase}, seasonal naive {naive.Mase}");
        var forecast = Forecaster.Forecast(series.ToHourly(), "holtWinters", result.Candidates.Single(c => c.Method == "holtWinters").Parameters, Defaults);
        var meanForecast = forecast.Average(p => p.Value);
        var meanExpected = Enumerable.Range(1_700, 48).Average(t => Expected(series, t));
        Assert.InRange(meanForecast, meanExpected * 0.9, meanExpected * 1.1);
    }

    [Fact]
    public void The_combination_forecasts_the_mean_of_holt_winters_and_seasonal_naive_168()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.1), 1_300, seed: 10).ToHourly();
        var parameters = Forecaster.Train(series, Defaults).Candidates.Single(c => c.Method == "holtWinters").Parameters;

        var hw = Forecaster.Forecast(series, "holtWinters", parameters, Defaults);
        var naive = Forecaster.Forecast(series, "seasonalNaive168", new Dictionary<string, double>(), Defaults);
        var combination = Forecaster.Forecast(series, "combination", parameters, Defaults);

        for (var h = 0; h < 48; h++)
        {
            Assert.Equal((hw[h].Value + naive[h].Value) / 2, combination[h].Value, 1e-9);
            Assert.Equal(series.Values[1_300 + h - 168], naive[h].Value);
        }
    }

    [Fact]
    public void Unknown_methods_settings_out_of_range_and_missing_parameters_are_refused()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(), 1_100, seed: 9).ToHourly();

        Assert.ThrowsAny<ArgumentException>(() => Forecaster.Forecast(series, "prophet", new Dictionary<string, double>(), Defaults));
        Assert.ThrowsAny<ArgumentException>(() => Forecaster.Forecast(series, "holtWinters", new Dictionary<string, double> { ["alpha"] = 0.1 }, Defaults));
        Assert.ThrowsAny<ArgumentException>(() => Forecaster.Forecast(series, "holtWinters", new Dictionary<string, double> { ["alpha"] = 1.5, ["delta"] = 0.1, ["omega"] = 0.1 }, Defaults));
        Assert.ThrowsAny<ArgumentException>(() => Forecaster.Train(series, Defaults with { IntervalCoverage = 1 }));
        Assert.ThrowsAny<ArgumentException>(() => Forecaster.Train(series, Defaults with { Horizon = 0 }));
        Assert.ThrowsAny<ArgumentException>(() => Forecaster.Train(series, Defaults with { BacktestDays = 30 }));
        Assert.Equal(48, Forecaster.Forecast(series, "seasonalNaive24", new Dictionary<string, double>(), Defaults).Count);
    }

    internal static double Expected(GeneratedSeries series, int t)
    {
        // The mean the generator drew around; past its end, the same hour of the last generated week (no trend).
        while (t >= series.Mean.Length)
        {
            t -= 168;
        }
        return series.Mean[t];
    }
}
