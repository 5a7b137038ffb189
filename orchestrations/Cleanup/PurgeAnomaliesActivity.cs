using Microsoft.DurableTask;
using Workforce.Core.Forecasting;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of anomalies past their retention (90 days by default).</summary>
public sealed class PurgeAnomaliesActivity(IForecastStore store, ForecastingOptions options, TimeProvider clock) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) =>
        store.PurgeAnomaliesAsync(clock.GetUtcNow() - options.AnomalyRetention, input);
}
