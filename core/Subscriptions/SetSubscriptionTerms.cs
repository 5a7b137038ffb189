using Workforce.Core.Plans;
using Workforce.Core.Storage;

namespace Workforce.Core.Subscriptions;

/// <summary>What the platform admin sets for a tenant: its plan at once, and for Enterprise its own limits and prices.</summary>
public sealed record SubscriptionTermsCommand(
    string? Plan,
    QuotaLimits? Limits = null,
    decimal? Price = null,
    OveragePrices? OveragePrices = null,
    OveragePolicy? Overage = null,
    SubscriptionStatus? Status = null);

/// <summary>
/// Platform administration: puts a tenant on a plan now (no proration: the terms are agreed outside the platform)
/// and sets Enterprise terms. Custom limits and prices apply only to Enterprise.
/// </summary>
public sealed class SetSubscriptionTerms(IWorkforceStore store, PlanCatalogue plans, TimeProvider clock)
{
    public async Task<Outcome<Subscription>> ExecuteAsync(string tenantId, SubscriptionTermsCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var plan = command.Plan is null ? null : plans.Find(command.Plan);
        if (command.Plan is not null && plan is null)
        {
            return Failure.Invalid("plan", $"Choose one of: {string.Join(", ", plans.All.Select(p => p.Id))}.");
        }

        var customises = command.Limits is not null || command.Price is not null || command.OveragePrices is not null;
        if (command.Limits?.Problems().FirstOrDefault() is { } limitProblem)
        {
            return Failure.Invalid("limits", limitProblem);
        }

        if (command.Price is < 0 || command.OveragePrices?.Problems().Any() == true)
        {
            return Failure.Invalid("price", "Prices cannot be negative.");
        }

        if (await store.FindSubscriptionAsync(tenantId, cancellationToken) is null)
        {
            return Failure.NotFound($"Tenant {tenantId}");
        }

        var now = clock.GetUtcNow();
        return await store.TransactAsync<Outcome<Subscription>>(tenantId, async tx =>
        {
            var subscription = await tx.FindSubscriptionAsync();
            var planId = plan?.Id ?? subscription.PlanIdAt(now);
            if (customises && planId != Plan.Enterprise)
            {
                return Failure.Invalid("plan", "Custom limits and prices apply to the Enterprise plan only.");
            }

            var target = plans.Get(planId);
            var changed = subscription with
            {
                PlanId = planId,
                Scheduled = plan is null ? subscription.Scheduled : null,
                CustomLimits = command.Limits ?? subscription.CustomLimits,
                CustomPrice = command.Price is { } price ? new Money(price, plans.Currency) : subscription.CustomPrice,
                CustomOverage = command.OveragePrices ?? subscription.CustomOverage,
                Overage = target.AllowsOverage ? command.Overage ?? subscription.Overage : OveragePolicy.Block,
                Status = command.Status ?? subscription.Status,
                UpdatedAt = now,
            };
            tx.Save(changed);
            return changed;
        }, cancellationToken);
    }
}
