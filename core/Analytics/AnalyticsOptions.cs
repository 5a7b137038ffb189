using System.ComponentModel.DataAnnotations;

namespace Workforce.Core.Analytics;

/// <summary>How analytics are gathered and how long they are kept (<c>Workforce:Analytics</c>).</summary>
public sealed class AnalyticsOptions
{
    public const string Section = "Workforce:Analytics";

    /// <summary>Off: nothing is counted or kept (the history stays as it was); for measuring what upkeep costs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a node writes what it counted; a kill -9 loses at most this much of its counts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "1.00:00:00", "400.00:00:00")]
    public TimeSpan MinuteRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Thirteen months: a year's review with its month of comparison.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "800.00:00:00")]
    public TimeSpan HourRetention { get; set; } = TimeSpan.FromDays(396);

    /// <summary>The brief's rolling hour of agent metrics at full resolution.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan AgentSampleRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Task types tracked per tenant and node; the rest are counted under <see cref="OtherTypes"/>, so a tenant cannot flood the store.</summary>
    [Range(1, 10_000)]
    public int MaxTypesPerTenant { get; set; } = 200;

    public const string OtherTypes = "(other)";
}
