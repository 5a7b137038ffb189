namespace Workforce.Core.Usage;

/// <summary>
/// A meter of a tenant crossed a warning threshold of its limit (80 % or 100 %) in a billing period. Each threshold
/// is crossed at most once a period, in the committed change that crossed it, which raises it as the notification
/// event quota.warning or quota.exceeded.
/// </summary>
public sealed record QuotaNotice(string TenantId, Meter Meter, int Percent, long Used, long Limit, DateTimeOffset PeriodStart, DateTimeOffset At)
{
    /// <summary>The thresholds that raise a notice, in percent of the limit.</summary>
    public static IReadOnlyList<int> Thresholds { get; } = [80, 100];

    public bool IsExceeded => Percent >= 100;

    /// <summary>The notices for a change of the meter from <paramref name="before"/> to <paramref name="after"/> against the limit.</summary>
    public static IEnumerable<QuotaNotice> Crossed(string tenantId, Meter meter, long before, long after, long? limit, DateTimeOffset periodStart, DateTimeOffset at)
    {
        if (limit is not > 0 || after <= before)
        {
            yield break;
        }

        foreach (var percent in Thresholds)
        {
            var threshold = (long)Math.Ceiling(limit.Value * percent / 100m);
            if (before < threshold && after >= threshold)
            {
                yield return new QuotaNotice(tenantId, meter, percent, after, limit.Value, periodStart, at);
            }
        }
    }
}
