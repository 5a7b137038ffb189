using System.ComponentModel.DataAnnotations;

namespace Workforce.Orchestrations.TaskLifecycle;

/// <summary>Bound from <c>Workforce:Lifecycle</c>.</summary>
public sealed class LifecycleOptions
{
    public const string Section = "Workforce:Lifecycle";

    /// <summary>
    /// How long the workflow waits for news of a task that cannot time out (pending, no deadline) before it reads
    /// the task again. Bounds how late the workflow notices a change whose notification was lost.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleRecheck { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long the standalone server gathers task changes before it tells their workflows. A task that moves
    /// several times within it costs its workflow one event; the workflows' time limits are seconds to minutes, so
    /// they notice nothing of the delay.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan EventBatchWindow { get; set; } = TimeSpan.FromMilliseconds(250);
}
