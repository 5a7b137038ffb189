using Workforce.Core.Agents;
using Workforce.Core.Queues;
using Workforce.Core.Tasks;
using Workforce.Core.Usage;

namespace Workforce.Core.Metrics;

/// <summary>One sample of the platform's levels, summed over every tenant.</summary>
public sealed record LevelsSample(
    IReadOnlyDictionary<TaskPriority, long> Pending,
    long Assigned,
    long Running,
    IReadOnlyDictionary<AgentStatus, long> Agents,
    long SlotsUsed,
    long SlotsCapacity,
    IReadOnlyList<QueueCounts> Queues,
    IReadOnlyList<TenantQuota> Quotas,
    DateTimeOffset? SampledAt)
{
    public static LevelsSample Empty { get; } = new(
        TaskPriorities.All.ToDictionary(priority => priority, _ => 0L),
        0,
        0,
        Enum.GetValues<AgentStatus>().ToDictionary(status => status, _ => 0L),
        0,
        0,
        [],
        [],
        null);
}

/// <summary>
/// What one tenant has left of one limited quota in its current billing period, in the meter's own unit (seconds
/// for compute). Sampled only when the per-tenant quota gauge is on: its series carry tenant ids.
/// </summary>
public sealed record TenantQuota(string TenantId, Meter Meter, long Limit, long Remaining)
{
    /// <summary>The <c>quota</c> label: the meter and its unit, since the limits are counted in those units.</summary>
    public string Label => Meter switch
    {
        Meter.Tasks => "tasks",
        Meter.ComputeMinutes => "compute_seconds",
        Meter.ApiCalls => "api_calls",
        _ => "storage_bytes",
    };
}

/// <summary>
/// The last levels sample, which the gauges report. A scrape reads this, never the store: <see cref="SamplePlatformLevels"/>
/// replaces it on its own schedule, so a burst of scrapes costs nothing and a slow store does not slow the scrape.
/// </summary>
public sealed class PlatformLevels(TimeProvider clock)
{
    private volatile LevelsSample _current = LevelsSample.Empty;

    public LevelsSample Current => _current;

    public void Replace(LevelsSample sample) => _current = sample ?? throw new ArgumentNullException(nameof(sample));

    /// <summary>Seconds since the last sample; 0 before the first, which has not had its chance yet.</summary>
    public double AgeSeconds() => _current.SampledAt is { } at ? Math.Max(0, (clock.GetUtcNow() - at).TotalSeconds) : 0;
}
