using System.ComponentModel.DataAnnotations;

namespace Workforce.Core.Tasks;

/// <summary>Task admission and retry rules. Bound from <c>Workforce:Tasks</c>.</summary>
public sealed class TaskOptions
{
    public const string Section = "Workforce:Tasks";

    /// <summary>Submissions beyond this many pending tasks in one tenant are refused with 429.</summary>
    [Range(1, 10_000_000)]
    public int MaxPendingPerTenant { get; set; } = 10_000;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan QueueFullRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An assigned task not started within this time is failed (and retried): its agent likely died after leasing.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AssignmentTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public RetryBackoff Retry { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        if (Retry.BaseDelay <= TimeSpan.Zero || Retry.MaxDelay < Retry.BaseDelay)
        {
            yield return "Workforce:Tasks:Retry needs 0 < BaseDelay <= MaxDelay.";
        }

        if (Retry.Multiplier < 1)
        {
            yield return "Workforce:Tasks:Retry:Multiplier must be at least 1.";
        }

        if (Retry.JitterRatio is < 0 or > 1)
        {
            yield return "Workforce:Tasks:Retry:JitterRatio must be between 0 and 1.";
        }
    }
}
