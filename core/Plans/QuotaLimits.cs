using Workforce.Core.Usage;

namespace Workforce.Core.Plans;

/// <summary>
/// What a subscription may use in one billing period, per meter; null means unlimited. Compute is limited in whole
/// minutes and metered in seconds.
/// </summary>
public sealed record QuotaLimits(long? Tasks, long? ComputeMinutes, long? StorageBytes, long? ApiCalls)
{
    public static QuotaLimits Unlimited { get; } = new(null, null, null, null);

    /// <summary>The limit in the meter's own unit (seconds for compute), or null when unlimited.</summary>
    public long? For(Meter meter) => meter switch
    {
        Meter.Tasks => Tasks,
        Meter.ComputeMinutes => ComputeMinutes * 60,
        Meter.StorageBytes => StorageBytes,
        Meter.ApiCalls => ApiCalls,
        _ => throw new ArgumentOutOfRangeException(nameof(meter), meter, null),
    };

    public IEnumerable<string> Problems()
    {
        if (Tasks < 0 || ComputeMinutes < 0 || StorageBytes < 0 || ApiCalls < 0)
        {
            yield return "limits cannot be negative";
        }
    }
}
