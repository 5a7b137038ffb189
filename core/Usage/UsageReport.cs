using Workforce.Core.Plans;
using Workforce.Core.Subscriptions;

namespace Workforce.Core.Usage;

/// <summary>One meter in a usage report, in the unit the API shows (minutes for compute); limits null when unlimited.</summary>
public sealed record MeterUsage(decimal Used, decimal? Limit, decimal? Remaining, decimal? Percent, decimal Overage);

/// <summary>A tenant's use of its current billing period against its plan's limits.</summary>
public sealed record UsageReport(Subscription Subscription, Plan Plan, BillingPeriod Period, DateTimeOffset AsOf, IReadOnlyDictionary<Meter, MeterUsage> Meters, Money OverageCost)
{
    public static UsageReport From(Subscription subscription, Plan plan, PeriodUsage usage, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(usage);
        var meters = Enum.GetValues<Meter>().ToDictionary(meter => meter, meter =>
        {
            var used = usage.Used(meter);
            if (plan.Limits.For(meter) is not { } limit)
            {
                return new MeterUsage(MeterNames.InUnits(meter, used), null, null, null, 0m);
            }

            return new MeterUsage(
                MeterNames.InUnits(meter, used),
                MeterNames.InUnits(meter, limit),
                MeterNames.InUnits(meter, Math.Max(0, limit - used)),
                limit == 0 ? 100m : decimal.Round(used * 100m / limit, 1),
                MeterNames.InUnits(meter, Math.Max(0, usage.Billed(meter) - limit)));
        });
        return new UsageReport(subscription, plan, subscription.PeriodContaining(asOf), asOf, meters, Subscription.OverageCost(plan, usage));
    }
}
