using Workforce.Core.Analytics;

namespace Workforce.Core.Forecasting;

/// <summary>
/// The tenant's forecasts, with the hour now in progress brought up to date from the minutes seen so far: for a
/// count, what already happened plus the forecast's share of what is left of the hour.
/// </summary>
public sealed class QueryForecasts(IForecastStore forecasts, IAnalyticsStore analytics, TimeProvider clock)
{
    public async Task<Outcome<IReadOnlyList<SeriesForecast>>> ExecuteAsync(Caller caller, string? series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        IReadOnlyList<string> names;
        if (series is null)
        {
            names = [.. (await forecasts.ListSeriesAsync(caller.TenantId, cancellationToken)).Select(models => models.Series)];
        }
        else if (ForecastSeries.Parse(series) is null)
        {
            return Failure.Invalid("series", $"Name a series: {string.Join(", ", ForecastSeries.Metrics.Select(ForecastSeries.MetricName))}, optionally with :capability,set.");
        }
        else
        {
            names = [series];
        }

        var found = new List<SeriesForecast>();
        foreach (var name in names)
        {
            if (await forecasts.FindForecastAsync(caller.TenantId, name, cancellationToken) is { } forecast)
            {
                found.Add(await WithHourInProgressAsync(forecast, cancellationToken));
            }
        }

        return series is not null && found.Count == 0 ? Failure.NotFound($"A forecast of {series}") : found;
    }

    private async Task<SeriesForecast> WithHourInProgressAsync(SeriesForecast forecast, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var hour = AnalyticsRollup.StartOf(RollupResolution.Hour, now);
        var index = forecast.Points.ToList().FindIndex(point => point.At == hour);
        if (index < 0 || ForecastSeries.Parse(forecast.Series) is not { IsCount: true } series)
        {
            return forecast;
        }

        var seen = new RollupValues();
        await foreach (var minute in analytics.ReadRollupsAsync(forecast.TenantId, RollupResolution.Minute, series.Rollups, hour, now.AddMinutes(1), cancellationToken))
        {
            if (minute.Series == series.Rollups)
            {
                seen.Merge(minute.Values);
            }
        }

        var observed = series.ValueOf(seen);
        var left = 1 - ((now - hour) / TimeSpan.FromHours(1));
        var point = forecast.Points[index];
        var updated = new ForecastPoint(point.At, observed + (point.Value * left), observed + (point.Lower * left), observed + (point.Upper * left));
        return forecast with { Points = [.. forecast.Points.Select((each, i) => i == index ? updated : each)] };
    }
}
