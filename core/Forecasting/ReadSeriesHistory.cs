using Workforce.Core.Analytics;

namespace Workforce.Core.Forecasting;

/// <summary>
/// A series' hourly history from the analytics rollups, ending with the last whole hour: hours without tasks are 0
/// for counts and gaps (NaN) for rates; the hours before the tenant's first data are left out.
/// </summary>
public sealed class ReadSeriesHistory(IAnalyticsStore analytics, ForecastingOptions options, TimeProvider clock)
{
    public async Task<HourlySeries?> ExecuteAsync(string tenantId, ForecastSeries series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        var end = AnalyticsRollup.StartOf(RollupResolution.Hour, clock.GetUtcNow());
        var start = end - options.TrainingWindow;
        var hours = (int)(end - start).TotalHours;
        var values = new double[hours];
        Array.Fill(values, series.IsCount ? 0 : double.NaN);
        var first = -1;
        await foreach (var rollup in analytics.ReadRollupsAsync(tenantId, RollupResolution.Hour, series.Rollups, start, end, cancellationToken))
        {
            if (rollup.Series != series.Rollups)
            {
                continue;
            }

            var index = (int)(rollup.Start - start).TotalHours;
            values[index] = series.ValueOf(rollup.Values);
            first = first < 0 ? index : Math.Min(first, index);
        }

        return first < 0 ? null : new HourlySeries(start.AddHours(first), values[first..]);
    }
}
