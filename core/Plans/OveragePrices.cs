using Workforce.Core.Usage;

namespace Workforce.Core.Plans;

/// <summary>What usage beyond a plan's limits costs, in the plan's currency, per block of each meter's unit.</summary>
public sealed record OveragePrices(decimal PerComputeMinute, decimal PerThousandTasks, decimal PerGigabyte, decimal PerTenThousandApiCalls)
{
    public static OveragePrices None { get; } = new(0m, 0m, 0m, 0m);

    /// <summary>The price of one metered unit (a task, a second, a byte, a call), from the price of its billing block.</summary>
    public decimal PerUnit(Meter meter) => meter switch
    {
        Meter.Tasks => PerThousandTasks / 1_000m,
        Meter.ComputeMinutes => PerComputeMinute / 60m,
        Meter.StorageBytes => PerGigabyte / Plan.BytesPerGigabyte,
        Meter.ApiCalls => PerTenThousandApiCalls / 10_000m,
        _ => throw new ArgumentOutOfRangeException(nameof(meter), meter, null),
    };

    public IEnumerable<string> Problems()
    {
        if (PerComputeMinute < 0 || PerThousandTasks < 0 || PerGigabyte < 0 || PerTenThousandApiCalls < 0)
        {
            yield return "overage prices cannot be negative";
        }
    }
}
