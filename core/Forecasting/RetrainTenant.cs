using Workforce.Core.Analytics;

namespace Workforce.Core.Forecasting;

/// <summary>
/// Retrains a tenant's series whose data changed since they were last read (a whole hour more), at most
/// <paramref name="budget"/> of them, those read longest ago first so that a tenant with more series than the budget
/// gets through all of them in turn: its totals, and every metric of each capability set its tasks required in the
/// last week. Scaling advice follows each busy agent-hours forecast.
/// </summary>
public sealed class RetrainTenant(IAnalyticsStore analytics, IForecastStore forecasts, TrainSeries train, RecommendScaling recommend, TimeProvider clock)
{
    public async Task<IReadOnlyList<TrainingOutcome>> ExecuteAsync(string tenantId, int budget, CancellationToken cancellationToken = default)
    {
        var lastWholeHour = AnalyticsRollup.StartOf(RollupResolution.Hour, clock.GetUtcNow());
        var readUpTo = (await forecasts.ListSeriesAsync(tenantId, cancellationToken)).ToDictionary(models => models.Series, models => models.TrainedUpTo, StringComparer.Ordinal);
        var due = (await SeriesOfAsync(tenantId, lastWholeHour, cancellationToken))
            .Select(series => (Series: series, ReadUpTo: readUpTo.GetValueOrDefault(series.Name) ?? DateTimeOffset.MinValue))
            .Where(each => each.ReadUpTo < lastWholeHour)
            .OrderBy(each => each.ReadUpTo)
            .Take(budget);

        var outcomes = new List<TrainingOutcome>();
        foreach (var (series, _) in due)
        {
            var outcome = await train.ExecuteAsync(tenantId, series, cancellationToken);
            outcomes.Add(outcome);
            if (series.Metric == ForecastMetric.BusyAgentHours && outcome.InService is not null
                && await forecasts.FindForecastAsync(tenantId, series.Name, cancellationToken) is { } forecast)
            {
                await recommend.ExecuteAsync(forecast, cancellationToken);
            }
        }

        return outcomes;
    }

    private async Task<IReadOnlyList<ForecastSeries>> SeriesOfAsync(string tenantId, DateTimeOffset lastWholeHour, CancellationToken cancellationToken)
    {
        var sets = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var rollup in analytics.ReadRollupsAsync(
            tenantId, RollupResolution.Hour, AnalyticsSeries.CapabilitySetPrefix, lastWholeHour.AddDays(-7), lastWholeHour, cancellationToken))
        {
            var set = rollup.Series[AnalyticsSeries.CapabilitySetPrefix.Length..];
            if (set != AnalyticsOptions.OtherTypes)
            {
                sets.Add(set);
            }
        }

        return
        [
            .. ForecastSeries.Metrics.Select(metric => new ForecastSeries(metric)),
            .. sets.SelectMany(set => ForecastSeries.Metrics.Select(metric => new ForecastSeries(metric, set))),
        ];
    }
}
