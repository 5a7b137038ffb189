using Workforce.Core.Plans;
using Workforce.Core.Subscriptions;

namespace Workforce.Core.Usage;

/// <summary>
/// The rules every store applies when it meters inside a transaction, kept here so the adapters only persist: the
/// subscription of a tenant that never changed it, the period an event counts in, and the warnings a change raises.
/// </summary>
public sealed class UsageMetering(BillingOptions options, PlanCatalogue plans)
{
    public PlanCatalogue Plans => plans;

    public BillingOptions Options => options;

    /// <summary>A tenant that never changed its subscription is on Free since its creation.</summary>
    public Subscription DefaultSubscription(string tenantId, DateTimeOffset tenantCreatedAt) =>
        Subscription.StartFree(tenantId, tenantCreatedAt, options.PeriodLength);

    /// <summary>
    /// The start of the period an event counts in: the one it occurred in while that period is open or within its
    /// grace window; a later arrival counts in the current period, because the old one is already summed up.
    /// </summary>
    public DateTimeOffset PeriodOf(Subscription subscription, UsageEvent usage, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(usage);
        var period = subscription.PeriodContaining(usage.OccurredAt);
        return period.End + options.GracePeriod > now ? period.Start : subscription.PeriodContaining(now).Start;
    }

    /// <summary>The warnings a meter's change from <paramref name="before"/> to <paramref name="after"/> raises against the plan in force.</summary>
    public IEnumerable<QuotaNotice> Notices(Subscription subscription, Meter meter, PeriodUsage before, PeriodUsage after, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var limit = subscription.PlanAt(at, plans).Limits.For(meter);
        return QuotaNotice.Crossed(subscription.TenantId, meter, before.Used(meter), after.Used(meter), limit, after.PeriodStart, at);
    }
}
