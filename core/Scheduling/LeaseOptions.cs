using System.ComponentModel.DataAnnotations;

namespace Workforce.Core.Scheduling;

/// <summary>Lease behaviour. Bound from <c>Workforce:Leases</c>.</summary>
public sealed class LeaseOptions
{
    public const string Section = "Workforce:Leases";

    public const int MaxWaitSeconds = 30;

    /// <summary>
    /// How many pending tasks one lease looks at before giving up. Tasks the agent cannot serve are skipped, so a
    /// long head of tasks needing capabilities no agent has would otherwise make every lease scan them all.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxTasksScanned { get; set; } = 1_000;

    /// <summary>
    /// How often a long-polling lease looks again without being woken, so tasks whose retry backoff ends are found.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
