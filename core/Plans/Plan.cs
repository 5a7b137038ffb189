namespace Workforce.Core.Plans;

/// <summary>
/// A subscription tier: its fee per billing period, its limits, and its overage prices. A plan without overage
/// (Free) always blocks at its limits; the others let a subscription choose.
/// </summary>
public sealed record Plan(string Id, string Name, Money Price, QuotaLimits Limits, OveragePrices Overage, bool AllowsOverage)
{
    public const string Free = "free";
    public const string Professional = "professional";
    public const string Enterprise = "enterprise";

    public const long BytesPerGigabyte = 1_000_000_000;
}
