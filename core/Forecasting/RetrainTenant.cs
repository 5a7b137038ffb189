using Workforce.Core.Analytics;

namespace Workforce.Core.Forecasting;

/// <summary>
/// Retrains a tenant's series whose data changed since they were last trained (a whole hour more), at most
/// <paramref name="budget"/> of them: its totals, and submissions, completions and busy agent-hours of each
/// capability set its tasks required in the last week. Scaling advice follows each busy agent-hours forecast.
/// </summary>
public sealed class RetrainTenant(IAnalyticsStore analytics, IForecastStore forecasts, TrainSeries train, RecommendScaling recommend, TimeProvider clock)
{
    private static readonly ForecastMetric[] PerCapabilitySet = [ForecastMetric.Submissions, ForecastMetric.Completions, ForecastMetric.BusyAgentHours];

    public async Task<IReadOnlyList<TrainingOutcome>> ExecuteAsync(string tenantId, int budget, CancellationToken cancellationToken = default)
    {
        var lastWholeHour = AnalyticsRollup.StartOf(RollupResolution.Hour, clock.GetUtcNow());
        var trained = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        foreach (var models in await forecasts.ListSeriesAsync(tenantId, cancellationToken))
        {
            trained[models.Series] = models.TrainedUpTo;
        }

        var outcomes = new List<TrainingOutcome>();
        foreach (var series in await SeriesOfAsync(tenantId, lastWholeHour, cancellationToken))
        {
            if (outcomes.Count >= budget)
            {
                break;
            }

            if (trained.GetValueOrDefault(series.Name) >= lastWholeHour)
            {
                continue;
            }

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
            .. sets.SelectMany(set => PerCapabilitySet.Select(metric => new ForecastSeries(metric, set))),
        ];
    }
}
