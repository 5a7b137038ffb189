using System.ComponentModel.DataAnnotations;

namespace Workforce.Durable.Runtime;

/// <summary>Bound from <c>Workforce:Durable</c>.</summary>
public sealed class DurableEngineOptions
{
    public const string Section = "Workforce:Durable";

    /// <summary>
    /// Orchestration episodes run at once. An episode is brief CPU work followed by a wait for its commit's fsync, so
    /// this must cover the episodes waiting on commits, not just the cores (docs/performance.md measures it).
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentOrchestrations { get; set; } = Environment.ProcessorCount * 32;

    /// <summary>Activities run at once. Activities mostly wait on storage, so this is higher than the core count.</summary>
    [Range(1, 4096)]
    public int MaxConcurrentActivities { get; set; } = Environment.ProcessorCount * 16;

    /// <summary>How long an episode whose commit failed waits before it is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
