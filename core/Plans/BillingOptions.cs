using System.ComponentModel.DataAnnotations;

namespace Workforce.Core.Plans;

/// <summary>Billing periods and the plan catalogue. Bound from <c>Workforce:Billing</c>; the tiers have defaults here.</summary>
public sealed class BillingOptions
{
    public const string Section = "Workforce:Billing";

    /// <summary>
    /// Meter usage and enforce the quotas. Off for a deployment that bills nobody (one team's own server): usage
    /// then reads zero and nothing is refused for quota.
    /// </summary>
    public bool Metering { get; set; } = true;

    /// <summary>
    /// How long a billing period lasts, from the subscription's start. Applies to subscriptions started after it is set;
    /// shorten it for staging and tests.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan PeriodLength { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long after a period ends its usage may still arrive (counts flushed late) before it is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>ISO 4217 code of every price.</summary>
    [RegularExpression("^[A-Z]{3}$")]
    public string Currency { get; set; } = "USD";

    /// <summary>The tiers by id. Free always blocks at its limits; Enterprise limits and prices are set per tenant.</summary>
    public Dictionary<string, PlanSettings> Plans { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [Plan.Free] = new()
        {
            Name = "Free", Price = 0m, Tasks = 1_000, ComputeMinutes = 100, StorageGigabytes = 1, ApiCalls = 10_000, AllowsOverage = false,
        },
        [Plan.Professional] = new()
        {
            Name = "Professional", Price = 49.00m, Tasks = 10_000, ComputeMinutes = 1_000, StorageGigabytes = 10, ApiCalls = 100_000, AllowsOverage = true,
            PerComputeMinute = 0.04m, PerThousandTasks = 5.00m, PerGigabyte = 0.50m, PerTenThousandApiCalls = 1.00m,
        },
        [Plan.Enterprise] = new()
        {
            Name = "Enterprise", Price = 499.00m, AllowsOverage = true,
            PerComputeMinute = 0.03m, PerThousandTasks = 4.00m, PerGigabyte = 0.40m, PerTenThousandApiCalls = 0.80m,
        },
    };

    /// <returns>What is wrong, for the start-up validation; empty when the catalogue is usable.</returns>
    public IEnumerable<string> Problems()
    {
        foreach (var id in new[] { Plan.Free, Plan.Professional, Plan.Enterprise })
        {
            if (!Plans.ContainsKey(id))
            {
                yield return $"the plan '{id}' is missing";
            }
        }

        foreach (var (id, plan) in Plans)
        {
            foreach (var problem in plan.Problems())
            {
                yield return $"plan '{id}': {problem}";
            }
        }

        if (Plans.TryGetValue(Plan.Free, out var free) && (free.AllowsOverage || free.Price != 0m))
        {
            yield return "the Free plan must cost nothing and block at its limits (AllowsOverage false)";
        }
    }
}

/// <summary>One tier as configured; limits left out are unlimited.</summary>
public sealed class PlanSettings
{
    /// <summary>The largest storage limit whose bytes still fit a 64-bit count.</summary>
    public const long MaxStorageGigabytes = long.MaxValue / Plan.BytesPerGigabyte;

    public string Name { get; set; } = "";

    /// <summary>The fee per billing period.</summary>
    public decimal Price { get; set; }

    public long? Tasks { get; set; }

    public long? ComputeMinutes { get; set; }

    public decimal? StorageGigabytes { get; set; }

    public long? ApiCalls { get; set; }

    public bool AllowsOverage { get; set; }

    public decimal PerComputeMinute { get; set; }

    public decimal PerThousandTasks { get; set; }

    public decimal PerGigabyte { get; set; }

    public decimal PerTenThousandApiCalls { get; set; }

    public Plan ToPlan(string id, string currency) => new(
        id,
        string.IsNullOrWhiteSpace(Name) ? id : Name,
        new Money(Price, currency),
        new QuotaLimits(Tasks, ComputeMinutes, StorageGigabytes is { } gigabytes ? (long)(gigabytes * Plan.BytesPerGigabyte) : null, ApiCalls),
        new OveragePrices(PerComputeMinute, PerThousandTasks, PerGigabyte, PerTenThousandApiCalls),
        AllowsOverage);

    public IEnumerable<string> Problems()
    {
        if (Price < 0)
        {
            yield return "the price cannot be negative";
        }

        if (StorageGigabytes > MaxStorageGigabytes)
        {
            yield return $"storage is limited to at most {MaxStorageGigabytes} GB; leave it out for unlimited";
            yield break;
        }

        foreach (var problem in ToPlan("check", "USD").Limits.Problems().Concat(ToPlan("check", "USD").Overage.Problems()))
        {
            yield return problem;
        }
    }
}
