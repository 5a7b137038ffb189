using Microsoft.DurableTask;
using Workforce.Core.Forecasting;

namespace Workforce.Orchestrations.Forecasting;

/// <summary>A step of the hourly retraining (<see cref="RetrainNextTenants"/>), within what is left of the run's budget.</summary>
public sealed class RetrainForecastsActivity(RetrainNextTenants retrain, ForecastingOptions options) : TaskActivity<RetrainPage, RetrainedTenants>
{
    public override Task<RetrainedTenants> RunAsync(TaskActivityContext context, RetrainPage input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return retrain.ExecuteAsync(input.Limit, options.MaxSeriesPerRun - input.ReadSoFar);
    }
}
