using Workforce.Core.Storage;
using Workforce.Core.Tenants;

namespace Workforce.Core.Forecasting;

/// <summary>Where the hourly retraining stopped: the page of tenants listed from <see cref="PageCursor"/>, at <see cref="NextTenant"/>.</summary>
public sealed record RetrainingProgress(string? PageCursor, string? NextTenant)
{
    public static RetrainingProgress FirstTenant { get; } = new(null, null);
}

/// <param name="Read">Series read, trained or found too short: what the run's budget counts.</param>
/// <param name="ReachedEnd">The last tenant was reached; the next step starts again at the first.</param>
public sealed record RetrainedTenants(int Trained, int Read, bool BudgetSpent, bool ReachedEnd);

/// <summary>
/// One step of the hourly retraining: a page of tenants, resuming where the previous step stopped, even in an earlier
/// run, within <paramref name="budget"/> series. Keeping where it stopped is what makes a run that spends its budget
/// before the last tenant leave the rest first in line for the next run, instead of starting again at the first tenant
/// and starving those after the budget for good. The next run starts after the tenant that spent the budget: what that
/// tenant has left waits for its next turn, first among its series (<see cref="RetrainTenant"/> reads the oldest first).
/// </summary>
public sealed class RetrainNextTenants(ITenantDirectory tenants, IForecastStore forecasts, RetrainTenant retrain)
{
    public async Task<RetrainedTenants> ExecuteAsync(int pageSize, int budget, CancellationToken cancellationToken = default)
    {
        var progress = await forecasts.FindRetrainingProgressAsync(cancellationToken) ?? RetrainingProgress.FirstTenant;
        var page = await tenants.ListTenantIdsAsync(new PageRequest(pageSize, progress.PageCursor), cancellationToken);
        var after = new RetrainingProgress(page.NextCursor, null);
        int trained = 0, read = 0;
        for (var i = progress.NextTenant is null ? 0 : Math.Max(0, page.Items.ToList().IndexOf(progress.NextTenant)); i < page.Items.Count; i++)
        {
            var outcomes = await retrain.ExecuteAsync(page.Items[i], budget - read, cancellationToken);
            trained += outcomes.Count(outcome => outcome.Trained is not null);
            read += outcomes.Count;
            if (read >= budget)
            {
                await forecasts.SaveAsync(i + 1 < page.Items.Count ? progress with { NextTenant = page.Items[i + 1] } : after, cancellationToken);
                return new RetrainedTenants(trained, read, BudgetSpent: true, ReachedEnd: false);
            }
        }

        await forecasts.SaveAsync(after, cancellationToken);
        return new RetrainedTenants(trained, read, BudgetSpent: false, ReachedEnd: page.NextCursor is null);
    }
}
