using System.ComponentModel.DataAnnotations;

namespace Workforce.Core.Messaging;

/// <summary>Agent messaging. Bound from <c>Workforce:Messaging</c>.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Workforce:Messaging";

    public const int MaxWaitSeconds = 30;

    public const int MaxBatch = 100;

    /// <summary>How long a received message stays hidden from further receives; unacknowledged by then, it is delivered again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "12:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an unacknowledged message is kept; after that it is no longer delivered and cleanup deletes it.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The most unacknowledged messages one agent's inbox holds; a send that would exceed it is refused with 429.</summary>
    [Range(1, 1_000_000)]
    public int MaxInboxMessages { get; set; } = 1_000;

    /// <summary>The most receivers one broadcast is fanned out to (one message each); a broadcast matching more is refused.</summary>
    [Range(1, 100_000)]
    public int MaxBroadcastReceivers { get; set; } = 1_000;

    /// <summary>
    /// How often a long-polling receive looks again without being woken. A send on this instance wakes it at once;
    /// one on another instance (the Functions app scaled out) is found at the next look.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
