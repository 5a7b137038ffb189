using Workforce.Core.Storage;

namespace Workforce.Core.Usage;

public enum UsageGranularity
{
    Hour,
    Day,
}

public sealed record UsageHistoryQuery(string? Meter, DateTimeOffset? From, DateTimeOffset? To, UsageGranularity Granularity = UsageGranularity.Day);

/// <summary>
/// One bucket of a meter's history, in the API's unit: what was used in it, or for storage the bytes kept at its end.
/// </summary>
public sealed record UsageBucket(DateTimeOffset Start, decimal Quantity);

public sealed record UsageHistory(Meter Meter, UsageGranularity Granularity, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsageBucket> Buckets);

/// <summary>
/// A meter's use over time, from the metered events, which are kept for a billing period and its grace window:
/// the history reaches back that far. Storage is a gauge: its buckets show the level at their end, worked back from
/// the level now.
/// </summary>
public sealed class QueryUsageHistory(IWorkforceStore store, TimeProvider clock)
{
    public const int MaxBuckets = 24 * 31;

    public async Task<Outcome<UsageHistory>> ExecuteAsync(Caller caller, UsageHistoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(query);
        if (MeterNames.Parse(query.Meter) is not { } meter)
        {
            return Failure.Invalid("meter", "Name a meter: tasks, computeMinutes, apiCalls or storageBytes.");
        }

        var now = clock.GetUtcNow();
        if (query.From < DateTimeOffset.UnixEpoch || query.To < DateTimeOffset.UnixEpoch || query.From > now.AddYears(1) || query.To > now.AddYears(1))
        {
            return Failure.Invalid(query.From is null ? "to" : "from", "Give times between 1970 and a year from now.");
        }

        var step = query.Granularity == UsageGranularity.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        var to = Ceiling(query.To ?? now, step);
        var from = Truncate(query.From ?? to - (query.Granularity == UsageGranularity.Hour ? TimeSpan.FromDays(1) : TimeSpan.FromDays(30)), step);
        if (from >= to)
        {
            return Failure.Invalid("from", "from must be before to.");
        }

        if ((to - from) / step > MaxBuckets)
        {
            return Failure.Invalid("to", $"Ask for at most {MaxBuckets} buckets; use a coarser granularity or a shorter range.");
        }

        var sums = new decimal[(int)((to - from) / step)];
        long changeSinceEnd = 0;
        await foreach (var usage in store.QueryUsageAsync(caller.TenantId, from, meter == Meter.StorageBytes ? DateTimeOffset.MaxValue : to, cancellationToken))
        {
            if (usage.Meter != meter)
            {
                continue;
            }

            if (usage.OccurredAt >= to)
            {
                changeSinceEnd += usage.Quantity;
                continue;
            }

            sums[(int)((usage.OccurredAt - from) / step)] += usage.Quantity;
        }

        var buckets = meter == Meter.StorageBytes
            ? await StorageLevelsAsync(caller.TenantId, from, step, sums, changeSinceEnd, now, cancellationToken)
            : sums.Select((sum, i) => new UsageBucket(from + (step * i), MeterNames.InUnits(meter, (long)sum))).ToList();
        return new UsageHistory(meter, query.Granularity, from, to, buckets);
    }

    /// <summary>The level at each bucket's end: the level now, less every change after that end.</summary>
    private async Task<List<UsageBucket>> StorageLevelsAsync(
        string tenantId, DateTimeOffset from, TimeSpan step, decimal[] changes, long changeSinceEnd, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var subscription = await store.FindSubscriptionAsync(tenantId, cancellationToken);
        var current = subscription is null ? 0 : (await store.FindUsageAsync(tenantId, subscription.PeriodContaining(now).Start, cancellationToken)).StorageBytes;
        var levels = new List<UsageBucket>(changes.Length);
        var level = (decimal)(current - changeSinceEnd);
        for (var i = changes.Length - 1; i >= 0; i--)
        {
            levels.Add(new UsageBucket(from + (step * i), Math.Max(0, level)));
            level -= changes[i];
        }

        levels.Reverse();
        return levels;
    }

    private static DateTimeOffset Ceiling(DateTimeOffset at, TimeSpan step) => Truncate(at.AddTicks(step.Ticks - 1), step);

    private static DateTimeOffset Truncate(DateTimeOffset at, TimeSpan step) => new(at.UtcTicks - (at.UtcTicks % step.Ticks), TimeSpan.Zero);
}
