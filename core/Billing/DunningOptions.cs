using System.ComponentModel.DataAnnotations;

namespace Workforce.Core.Billing;

/// <summary>What happens when a charge fails. Bound from <c>Workforce:Billing:Dunning</c>.</summary>
public sealed class DunningOptions
{
    public const string Section = "Workforce:Billing:Dunning";

    /// <summary>When to charge again after the first failure, each counted from that failure.</summary>
    public List<TimeSpan> RetryAfter { get; set; } = [TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(5), TimeSpan.FromDays(7)];

    /// <summary>How long after the last failed retry the tenant is suspended.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromDays(7);
}
