using Workforce.Core.Plans;
using Workforce.Core.Usage;

namespace Workforce.Core.Subscriptions;

/// <summary>
/// A closed billing period, frozen: the plan it ended on and its fee, the usage counters and the overage they cost,
/// and the plan changes made in it. What the invoice of the period is made from.
/// </summary>
public sealed record PeriodSummary(
    string TenantId,
    BillingPeriod Period,
    string PlanId,
    Money Fee,
    PeriodUsage Usage,
    Money OverageCost,
    IReadOnlyList<PlanChange> PlanChanges,
    DateTimeOffset ClosedAt);
