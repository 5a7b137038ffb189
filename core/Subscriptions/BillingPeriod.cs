namespace Workforce.Core.Subscriptions;

/// <summary>A billing period: from its start (inclusive) to its end (exclusive).</summary>
public sealed record BillingPeriod(DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Length => End - Start;

    public bool Contains(DateTimeOffset at) => at >= Start && at < End;

    /// <summary>The share of the period left at <paramref name="at"/>, to the second.</summary>
    public decimal RemainingShare(DateTimeOffset at) =>
        at <= Start ? 1m : at >= End ? 0m : (decimal)Math.Floor((End - at).TotalSeconds) / (decimal)Math.Floor(Length.TotalSeconds);
}
