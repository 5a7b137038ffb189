using Workforce.Core.Usage;

namespace Workforce.Api.Usage;

/// <summary>One meter: in minutes for compute, bytes for storage, counts otherwise; limit, remaining and percent null when unlimited.</summary>
public sealed record MeterResponse(decimal Used, decimal? Limit, decimal? Remaining, decimal? Percent, decimal Overage);

public sealed record MetersResponse(MeterResponse Tasks, MeterResponse ComputeMinutes, MeterResponse ApiCalls, MeterResponse StorageBytes);

/// <summary>The tenant's use of its current billing period.</summary>
public sealed record UsageResponse(string Plan, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, DateTimeOffset AsOf, MetersResponse Meters, decimal OverageCost, string Currency)
{
    public static UsageResponse From(UsageReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        MeterResponse Of(Meter meter)
        {
            var m = report.Meters[meter];
            return new MeterResponse(m.Used, m.Limit, m.Remaining, m.Percent, m.Overage);
        }

        return new UsageResponse(
            report.Plan.Id, report.Period.Start, report.Period.End, report.AsOf,
            new MetersResponse(Of(Meter.Tasks), Of(Meter.ComputeMinutes), Of(Meter.ApiCalls), Of(Meter.StorageBytes)),
            decimal.Round(report.OverageCost.Amount, 2), report.OverageCost.Currency);
    }
}

public sealed record UsageBucketResponse(DateTimeOffset Start, decimal Quantity);

/// <summary>A meter's use per hour or day: what was used in each bucket, or for storage the bytes kept at its end.</summary>
public sealed record UsageHistoryResponse(string Meter, string Granularity, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsageBucketResponse> Buckets)
{
    public static UsageHistoryResponse Of(UsageHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new UsageHistoryResponse(
            MeterNames.Of(history.Meter), history.Granularity.ToString().ToLowerInvariant(), history.From, history.To,
            [.. history.Buckets.Select(b => new UsageBucketResponse(b.Start, b.Quantity))]);
    }
}
