using Microsoft.DurableTask;
using Workforce.Core.Forecasting;
using Workforce.Core.Storage;
using Workforce.Core.Tenants;

namespace Workforce.Orchestrations.Forecasting;

/// <summary>Retrains the due series of one page of tenants, within what is left of the run's budget.</summary>
public sealed class RetrainForecastsActivity(ITenantDirectory tenants, RetrainTenant retrain, ForecastingOptions options) : TaskActivity<RetrainPage, RetrainedPage>
{
    public override async Task<RetrainedPage> RunAsync(TaskActivityContext context, RetrainPage input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var page = await tenants.ListTenantIdsAsync(new PageRequest(input.Limit, input.Cursor));
        var trained = 0;
        foreach (var tenantId in page.Items)
        {
            var left = options.MaxSeriesPerRun - input.TrainedSoFar - trained;
            if (left <= 0)
            {
                return new RetrainedPage(trained, page.NextCursor, BudgetSpent: true);
            }

            trained += (await retrain.ExecuteAsync(tenantId, left)).Count(outcome => outcome.Trained is not null);
        }

        return new RetrainedPage(trained, page.NextCursor, BudgetSpent: false);
    }
}
