using Workforce.Core.Plans;
using Workforce.Core.Subscriptions;

namespace Workforce.Api.Usage;

/// <summary>Limits per billing period; null is unlimited. In responses and in the admin's terms.</summary>
public sealed record PlanLimits(long? Tasks, long? ComputeMinutes, long? StorageBytes, long? ApiCalls)
{
    public QuotaLimits ToLimits() => new(Tasks, ComputeMinutes, StorageBytes, ApiCalls);
}

/// <summary>Overage unit prices, in the plan's currency. In responses and in the admin's terms.</summary>
public sealed record PlanOveragePrices(decimal PerComputeMinute, decimal PerThousandTasks, decimal PerGigabyte, decimal PerTenThousandApiCalls)
{
    public OveragePrices ToPrices() => new(PerComputeMinute, PerThousandTasks, PerGigabyte, PerTenThousandApiCalls);
}

/// <summary>A tenant's change of its own subscription.</summary>
public sealed record SubscriptionChangeRequest(string? Plan, string? Overage, int? OverageCapPercent, decimal? OverageSpendCap);

/// <summary>The platform admin's terms for a tenant.</summary>
public sealed record SubscriptionTermsRequest(string? Plan, PlanLimits? Limits, decimal? Price, PlanOveragePrices? OveragePrices, string? Overage, string? Status);

public sealed record ScheduledChangeResponse(string Plan, DateTimeOffset EffectiveAt);

/// <summary>How the tenant pays, once the provider confirmed its checkout: "paypal" and the PayPal subscription id.</summary>
public sealed record PaymentAccountResponse(string Provider, string Reference);

/// <summary>The tenant's subscription with the terms in force now.</summary>
public sealed record SubscriptionResponse(
    string Plan,
    string PlanName,
    string Status,
    decimal Price,
    string Currency,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    string Overage,
    int? OverageCapPercent,
    decimal? OverageSpendCap,
    PlanLimits Limits,
    PlanOveragePrices OveragePrices,
    ScheduledChangeResponse? Scheduled,
    PaymentAccountResponse? Payment = null)
{
    public static SubscriptionResponse From(Subscription subscription, PlanCatalogue plans, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var plan = subscription.PlanAt(now, plans);
        var period = subscription.PeriodContaining(now);
        var limits = plan.Limits;
        var prices = plan.Overage;
        return new SubscriptionResponse(
            plan.Id, plan.Name, SubscriptionNames.Of(subscription.Status), plan.Price.Amount, plan.Price.Currency, period.Start, period.End,
            SubscriptionNames.Of(subscription.Overage), subscription.OverageCapPercent, subscription.OverageSpendCap?.Amount,
            new PlanLimits(limits.Tasks, limits.ComputeMinutes, limits.StorageBytes, limits.ApiCalls),
            new PlanOveragePrices(prices.PerComputeMinute, prices.PerThousandTasks, prices.PerGigabyte, prices.PerTenThousandApiCalls),
            subscription.Scheduled is { } next ? new ScheduledChangeResponse(next.PlanId, next.EffectiveAt) : null,
            subscription.Payment is { } payment ? new PaymentAccountResponse(payment.Provider, payment.Reference) : null);
    }
}

/// <summary>The API's names of statuses and overage policies, as the issue of plans and billing spells them.</summary>
public static class SubscriptionNames
{
    private static readonly Dictionary<string, SubscriptionStatus> Statuses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["active"] = SubscriptionStatus.Active,
        ["past_due"] = SubscriptionStatus.PastDue,
        ["suspended"] = SubscriptionStatus.Suspended,
        ["cancelled"] = SubscriptionStatus.Cancelled,
    };

    public static string Of(SubscriptionStatus status) => Statuses.First(s => s.Value == status).Key;

    public static string Of(OveragePolicy policy) => policy == OveragePolicy.Allow ? "allow" : "block";

    public static SubscriptionStatus? Status(string? name) => name is not null && Statuses.TryGetValue(name, out var status) ? status : null;

    public static OveragePolicy? Overage(string? name) => name?.ToLowerInvariant() switch
    {
        "allow" => OveragePolicy.Allow,
        "block" => OveragePolicy.Block,
        _ => null,
    };
}
