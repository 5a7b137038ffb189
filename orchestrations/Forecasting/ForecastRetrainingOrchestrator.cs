using Microsoft.DurableTask;
using Workforce.Orchestrations.AgentLiveness;

namespace Workforce.Orchestrations.Forecasting;

/// <summary>
/// The hourly retraining: every tenant's series whose data changed, a page of tenants per activity, until the run's
/// budget of series (<c>Workforce:Forecasting:MaxSeriesPerRun</c>) is spent; the rest wait for the next run.
/// </summary>
public sealed class ForecastRetrainingOrchestrator : TaskOrchestrator<BatchInput, int>
{
    /// <returns>How many series were trained.</returns>
    public override async Task<int> RunAsync(TaskOrchestrationContext context, BatchInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var trained = 0;
        string? cursor = null;
        for (var batch = 0; batch < input.MaxBatches; batch++)
        {
            var page = await context.CallActivityAsync<RetrainedPage>(WorkflowNames.RetrainForecasts, new RetrainPage(cursor, input.BatchSize, trained));
            trained += page.Trained;
            cursor = page.NextCursor;
            if (cursor is null || page.BudgetSpent)
            {
                break;
            }
        }

        return trained;
    }
}

/// <param name="TrainedSoFar">Series this run has trained already, so the page keeps within the run's budget.</param>
public sealed record RetrainPage(string? Cursor, int Limit, int TrainedSoFar);

public sealed record RetrainedPage(int Trained, string? NextCursor, bool BudgetSpent);
