using Microsoft.DurableTask;
using Workforce.Core.Forecasting;
using Workforce.Orchestrations.AgentLiveness;

namespace Workforce.Orchestrations.Forecasting;

/// <summary>
/// The hourly retraining: steps of a page of tenants each, resuming where the previous run stopped, until the last
/// tenant or the run's budget of series (<c>Workforce:Forecasting:MaxSeriesPerRun</c>); the rest are first in line
/// for the next run.
/// </summary>
public sealed class ForecastRetrainingOrchestrator : TaskOrchestrator<BatchInput, int>
{
    /// <returns>How many series were trained.</returns>
    public override async Task<int> RunAsync(TaskOrchestrationContext context, BatchInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        int trained = 0, read = 0;
        for (var batch = 0; batch < input.MaxBatches; batch++)
        {
            var step = await context.CallActivityAsync<RetrainedTenants>(WorkflowNames.RetrainForecasts, new RetrainPage(input.BatchSize, read));
            trained += step.Trained;
            read += step.Read;
            if (step.BudgetSpent || step.ReachedEnd)
            {
                break;
            }
        }

        return trained;
    }
}

/// <param name="ReadSoFar">Series this run has read already, so the step keeps within the run's budget.</param>
public sealed record RetrainPage(int Limit, int ReadSoFar);
