using Workforce.Core.Plans;
using Workforce.Core.Storage;

namespace Workforce.Core.Usage;

/// <summary>Reads a tenant's usage of its current period from the counters, never from the events.</summary>
public sealed class QueryUsage(IWorkforceStore store, PlanCatalogue plans, TimeProvider clock)
{
    public async Task<Outcome<UsageReport>> ExecuteAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await store.FindSubscriptionAsync(caller.TenantId, cancellationToken) is not { } subscription)
        {
            return Failure.NotFound($"Tenant {caller.TenantId}");
        }

        var now = clock.GetUtcNow();
        var usage = await store.FindUsageAsync(caller.TenantId, subscription.PeriodContaining(now).Start, cancellationToken);
        return UsageReport.From(subscription, subscription.PlanAt(now, plans), usage, now);
    }
}
