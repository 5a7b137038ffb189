using Workforce.Core.Usage;

namespace Workforce.Core.Subscriptions;

/// <summary>Work refused because a quota is used up: which meter, how much is used of what limit, and when it resets.</summary>
public sealed record QuotaRefusal(Meter Meter, long Used, long Limit, DateTimeOffset ResetsAt)
{
    /// <summary>Refused because the subscription is suspended for non-payment, whatever the use.</summary>
    public bool Suspended { get; init; }

    public const string ProblemType = "https://workforce.dev/problems/quota-exceeded";

    public Failure ToFailure(DateTimeOffset now) => new(FailureKind.QuotaExceeded, Suspended
        ? "The subscription is suspended for non-payment: no new work is accepted until a payment succeeds. Usage, subscription and billing stay open."
        : $"The {MeterNames.Of(Meter)} quota of this billing period is used up ({MeterNames.Format(Meter, Used)} of {MeterNames.Format(Meter, Limit)}). " +
          $"It resets at {ResetsAt:u}; upgrade the plan or allow overage to go on now.")
    {
        Type = ProblemType,
        RetryAfter = ResetsAt > now ? ResetsAt - now : TimeSpan.FromSeconds(1),
        Extensions = new Dictionary<string, object?>
        {
            ["meter"] = MeterNames.Of(Meter),
            ["used"] = MeterNames.InUnits(Meter, Used),
            ["limit"] = MeterNames.InUnits(Meter, Limit),
        },
    };
}
