using Workforce.Core.Forecasting;
using Workforce.Core.Forecasting.Synthetic;

namespace Workforce.Core.Tests.Forecasting;

public sealed class AnomalyDetectionTests
{
    private static readonly ForecastSettings Defaults = new();

    [Theory]
    [InlineData("holtWinters")]
    [InlineData("seasonalNaive168")]
    [InlineData("combination")]
    public void Injected_spikes_are_found_with_high_precision_on_a_noisy_series(string method)
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.08, Anomalies: 20, AnomalyFactor: 10, AnomaliesInLastHours: 24 * 28), 2_000, seed: 21);
        var parameters = Forecaster.Train(series.ToHourly(), Defaults).Candidates.Single(c => c.Method == method).Parameters;

        var found = Forecaster.DetectAnomalies(series.ToHourly(), method, parameters, Defaults, lastHours: 24 * 28);

        var hits = found.Count(a => series.AnomalyIndices.Contains((int)(a.At - series.Start).TotalHours));
        Assert.True(found.Count > 0);
        Assert.True(hits >= 0.9 * found.Count, $"{method}: precision {hits}/{found.Count}");
        Assert.True(hits >= 0.8 * series.AnomalyIndices.Count, $"{method}: recall {hits}/{series.AnomalyIndices.Count}");
        Assert.All(found, a => Assert.True(a.Score >= Defaults.AnomalyThreshold && a.Value > a.Expected));
    }

    [Fact]
    public void A_noisy_series_without_anomalies_has_none()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.08), 2_000, seed: 22);
        var parameters = Forecaster.Train(series.ToHourly(), Defaults).Candidates.Single(c => c.Method == "holtWinters").Parameters;

        Assert.Empty(Forecaster.DetectAnomalies(series.ToHourly(), "holtWinters", parameters, Defaults, lastHours: 2_000));
    }

    [Fact]
    public void Only_the_last_hours_asked_for_are_examined()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.08, Anomalies: 10, AnomaliesInLastHours: 24 * 28), 1_500, seed: 23);
        var parameters = Forecaster.Train(series.ToHourly(), Defaults).Candidates.Single(c => c.Method == "holtWinters").Parameters;

        var all = Forecaster.DetectAnomalies(series.ToHourly(), "holtWinters", parameters, Defaults, lastHours: 24 * 28);
        var lastDay = Forecaster.DetectAnomalies(series.ToHourly(), "holtWinters", parameters, Defaults, lastHours: 24);

        Assert.All(lastDay, a => Assert.True(a.At >= series.Start.AddHours(1_500 - 24)));
        Assert.Equal(all.Where(a => a.At >= series.Start.AddHours(1_500 - 24)), lastDay);
    }

    [Fact]
    public void A_spike_is_not_echoed_a_week_later_by_seasonal_naive()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.05), 1_400, seed: 24);
        series.Values[1_100] = 1_000;

        var found = Forecaster.DetectAnomalies(series.ToHourly(), "seasonalNaive168", new Dictionary<string, double>(), Defaults, lastHours: 400);

        Assert.Equal([series.Start.AddHours(1_100)], found.Select(a => a.At));
    }
}
