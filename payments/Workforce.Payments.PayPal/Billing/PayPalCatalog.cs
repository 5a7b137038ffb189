using System.Collections.Concurrent;
using Workforce.Core.Plans;

namespace Workforce.Payments.PayPal.Billing;

/// <summary>
/// The platform's plans as PayPal catalog entries: one product, and per plan a billing plan at the plan's fee over
/// the platform's billing period. <c>auto_bill_outstanding</c> is off, so PayPal never bills an outstanding balance
/// on its own: billing collects every invoice itself, on its own dunning schedule (docs/billing.md, "Overage").
/// Plans are found again by content, so two instances create each once.
/// </summary>
public sealed class PayPalCatalog(IPayPalClient client, PlanCatalogue plans, BillingOptions billing)
{
    public const string ProductId = "WORKFORCE-PLATFORM";

    private static readonly PayPalProductDefinition Product = new(ProductId, "Workforce", "Workforce platform subscriptions");

    // PayPal's plan id → the platform's, learnt at checkout and from PayPal's plan list.
    private readonly ConcurrentDictionary<string, string> _planIds = new(StringComparer.Ordinal);

    /// <summary>PayPal's days, whole and at least one (PayPal bills in whole intervals; a shortened staging period bills daily).</summary>
    public int IntervalDays => Math.Clamp((int)Math.Round(billing.PeriodLength.TotalDays), 1, 365);

    public async Task<PayPalPlan> EnsurePlanAsync(Plan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await client.EnsureProductAsync(Product, cancellationToken);
        var payPalPlan = await client.EnsurePlanAsync(new PayPalPlanDefinition(
            ProductId,
            NameOf(plan),
            PayPalAmounts.Of(plan.Price),
            PayPalBillingInterval.Days(IntervalDays),
            $"The Workforce {plan.Name} plan ({plan.Id})",
            AutoBillOutstanding: false), cancellationToken);
        _planIds[payPalPlan.Id] = plan.Id;
        return payPalPlan;
    }

    /// <returns>The platform's plan that a PayPal plan bills, or null when it is none of ours.</returns>
    public async Task<string?> PlanIdOfAsync(string? payPalPlanId, CancellationToken cancellationToken)
    {
        if (payPalPlanId is null)
        {
            return null;
        }

        if (_planIds.TryGetValue(payPalPlanId, out var known))
        {
            return known;
        }

        var listed = (await client.ListPlansAsync(ProductId, cancellationToken)).FirstOrDefault(p => p.Id == payPalPlanId);
        if (listed is null || plans.All.FirstOrDefault(p => NameOf(p) == listed.Name) is not { } plan)
        {
            return null;
        }

        _planIds[payPalPlanId] = plan.Id;
        return plan.Id;
    }

    private static string NameOf(Plan plan) => $"Workforce {plan.Name}";
}
