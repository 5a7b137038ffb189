using System.ComponentModel.DataAnnotations;

namespace Workforce.Core.Retention;

/// <summary>How long finished work is kept. Bound from <c>Workforce:Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Workforce:Retention";

    /// <summary>Completed, failed and cancelled tasks (with their history) are deleted this long after they finished.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan FinishedTasks { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Finished orchestration histories are purged this long after they finished.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan FinishedOrchestrations { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Dead-lettered messages are deleted this long after they were dead-lettered.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan DeadLetters { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The most rows one cleanup step deletes. Each batch is one short transaction, so cleanup never holds the
    /// writer long enough to stall requests.
    /// </summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;
}
