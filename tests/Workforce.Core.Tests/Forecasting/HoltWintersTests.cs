using Workforce.Core.Forecasting;
using Workforce.Core.Forecasting.Synthetic;

namespace Workforce.Core.Tests.Forecasting;

public sealed class HoltWintersTests
{
    /// <summary>
    /// A series drawn from the model itself (Taylor's double-seasonal Holt-Winters with Gaussian one-step errors), so
    /// the fit has true parameters to find and the intervals a distribution they can cover.
    /// </summary>
    private static double[] FromTheModel(double alpha, double delta, double omega, double sigma, int hours, int seed)
    {
        var random = new Random(seed);
        var daily = Enumerable.Range(0, 24).Select(h => 40 * SyntheticSeries.Daily(h, 1)).ToArray();
        var weekly = Enumerable.Range(0, 168).Select(k => 30 * SyntheticSeries.Weekly(k, 1)).ToArray();
        double level = 200;
        var values = new double[hours];
        for (var t = 0; t < hours; t++)
        {
            var error = sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[t] = level + daily[t % 24] + weekly[t % 168] + error;
            level += alpha * error;
            daily[t % 24] += delta * (1 - alpha) * error;
            weekly[t % 168] += omega * (1 - alpha) * error;
        }
        return values;
    }

    [Fact]
    public void Fitting_recovers_the_smoothing_parameters_of_a_series_drawn_from_the_model()
    {
        var values = FromTheModel(alpha: 0.3, delta: 0.15, omega: 0.4, sigma: 4, hours: 4_000, seed: 11);

        var fitted = HoltWinters.Fit(values);

        Assert.InRange(fitted.Alpha, 0.2, 0.4);
        Assert.InRange(fitted.Delta, 0.05, 0.25);
        Assert.InRange(fitted.Omega, 0.3, 0.5);
    }

    [Fact]
    public void A_series_without_trend_keeps_the_trend_out()
    {
        var values = FromTheModel(alpha: 0.1, delta: 0.1, omega: 0.1, sigma: 4, hours: 2_000, seed: 12);

        Assert.False(HoltWinters.Fit(values).Damped);
    }

    [Fact]
    public void Initialisation_from_two_clean_weeks_recovers_the_daily_and_weekly_profiles()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Level: 100, DailyAmplitude: 0.5, WeeklyAmplitude: 0.3, Noise: 0), 336, seed: 13);

        var start = HoltWintersStart.From(series.Values, damped: false);

        Assert.Equal(100, start.Level, 1e-6);
        for (var h = 0; h < 24; h++)
        {
            Assert.Equal(100 * SyntheticSeries.Daily(h, 0.5), start.Daily[h], 1e-6);
        }
        for (var k = 0; k < 168; k++)
        {
            Assert.Equal(100 * SyntheticSeries.Weekly(k, 0.3), start.Weekly[k], 1e-6);
        }
    }

    [Fact]
    public void Intervals_cover_about_the_target_share_on_data_that_matches_the_model()
    {
        var values = FromTheModel(alpha: 0.1, delta: 0.1, omega: 0.2, sigma: 6, hours: 24 * 7 * 12, seed: 14);
        var settings = new ForecastSettings(IntervalCoverage: 0.85, BacktestDays: 28);

        var result = Forecaster.Train(new HourlySeries(SyntheticSeries.Monday, values), settings);

        // 28 days of hourly actuals: a binomial standard error of about 1.4 points around 85 %, and the hours of a
        // day's forecast are correlated, so a few points more.
        var coverage = result.Candidates.Single(c => c.Method == "holtWinters").Backtest.Coverage;
        Assert.InRange(coverage, 0.78, 0.92);
        var wide = Forecaster.Train(new HourlySeries(SyntheticSeries.Monday, values), settings with { IntervalCoverage = 0.95 });
        Assert.InRange(wide.Candidates.Single(c => c.Method == "holtWinters").Backtest.Coverage, 0.9, 0.99);
    }

    [Fact]
    public void The_bounded_search_finds_a_minimum_inside_the_box_and_stops_at_its_edge()
    {
        var inside = BoundedNelderMead.Minimise(x => Math.Pow(x[0] - 0.3, 2) + Math.Pow(x[1] - 0.7, 2), [0.5, 0.5], 300);
        var edge = BoundedNelderMead.Minimise(x => Math.Pow(x[0] + 1, 2), [0.5], 300);

        Assert.Equal(0.3, inside.Point[0], 3);
        Assert.Equal(0.7, inside.Point[1], 3);
        Assert.Equal(0, edge.Point[0], 6);
        Assert.True(inside.Evaluations <= 300);
    }
}
