using Workforce.Core.Agents;
using Workforce.Core.Analytics;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;

namespace Workforce.Core.Forecasting;

/// <summary>
/// Turns a confident forecast of busy agent-hours into the agents a capability set needs in each coming hour at the
/// target utilisation: busy slot-hours / (target × slots per agent), with slots per agent the average capacity of
/// the tenant's agents that have the set. Kept when the numbers change, and announced (scaling.recommended) then.
/// A forecast that is not confident gives no advice: better none than a wrong one.
/// </summary>
public sealed class RecommendScaling(IForecastStore forecasts, IWorkforceStore store, ForecastingOptions options, TimeProvider clock)
{
    /// <returns>The recommendation made, or null when the forecast is not confident or the advice did not change.</returns>
    public async Task<ScalingRecommendation?> ExecuteAsync(SeriesForecast forecast, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        if (!forecast.Confident || ForecastSeries.Parse(forecast.Series) is not { Metric: ForecastMetric.BusyAgentHours } series || forecast.Points.Count == 0)
        {
            return null;
        }

        var capability = series.CapabilitySet ?? AnalyticsSeries.AnyCapability;
        var slotsPerAgent = await SlotsPerAgentAsync(forecast.TenantId, capability, cancellationToken);
        var hours = forecast.Points
            .Select(point => new AgentsAt(point.At, (int)Math.Ceiling(Math.Max(0, point.Value) / (options.TargetUtilisation * slotsPerAgent))))
            .ToList();
        var previous = (await forecasts.ListRecommendationsAsync(forecast.TenantId, cancellationToken)).FirstOrDefault(each => each.Capability == capability);
        if (previous is not null && SameAdvice(previous, hours))
        {
            return null;
        }

        var recommendation = new ScalingRecommendation(forecast.TenantId, capability, clock.GetUtcNow(), forecast.ModelVersion, options.TargetUtilisation, hours);
        await forecasts.SaveAsync(recommendation, cancellationToken);
        await store.TransactAsync(forecast.TenantId, tx =>
        {
            tx.Raise(NotificationEvents.OfScalingRecommended(recommendation));
            return ValueTask.FromResult(true);
        }, cancellationToken);
        return recommendation;
    }

    /// <summary>The same agents for every hour both cover: a forecast that moved on by an hour is not new advice.</summary>
    private static bool SameAdvice(ScalingRecommendation previous, IReadOnlyList<AgentsAt> hours)
    {
        var before = previous.Hours.ToDictionary(hour => hour.At, hour => hour.Agents);
        return hours.All(hour => !before.TryGetValue(hour.At, out var agents) || agents == hour.Agents);
    }

    private async Task<double> SlotsPerAgentAsync(string tenantId, string capability, CancellationToken cancellationToken)
    {
        var required = capability == AnalyticsSeries.AnyCapability ? [] : capability.Split(',');
        long agents = 0, slots = 0;
        string? cursor = null;
        do
        {
            var page = await store.ListAgentsAsync(tenantId, new AgentFilter(), new PageRequest(PageRequest.MaxLimit, cursor), cancellationToken);
            foreach (var agent in page.Items.Where(agent => required.All(agent.Capabilities.Contains)))
            {
                agents++;
                slots += agent.Capacity;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return agents == 0 ? 1 : (double)slots / agents;
    }
}
