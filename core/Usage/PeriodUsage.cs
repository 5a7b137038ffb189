namespace Workforce.Core.Usage;

/// <summary>
/// A tenant's counters for one billing period, kept as usage is metered so reading them never scans events:
/// tasks, running seconds and API calls used in the period, the bytes stored now and their peak in the period.
/// </summary>
public sealed record PeriodUsage(DateTimeOffset PeriodStart, long Tasks, long ComputeSeconds, long ApiCalls, long StorageBytes, long StoragePeakBytes)
{
    /// <summary>The counters of a period nothing was metered in yet: storage carries over from before.</summary>
    public static PeriodUsage Empty(DateTimeOffset periodStart, long storageBytes) => new(periodStart, 0, 0, 0, storageBytes, storageBytes);

    /// <summary>What counts against the meter's limit: use in the period, or for storage what is kept now.</summary>
    public long Used(Meter meter) => meter switch
    {
        Meter.Tasks => Tasks,
        Meter.ComputeMinutes => ComputeSeconds,
        Meter.ApiCalls => ApiCalls,
        Meter.StorageBytes => StorageBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(meter), meter, null),
    };

    /// <summary>What is billed for the meter: use in the period, or for storage the peak.</summary>
    public long Billed(Meter meter) => meter == Meter.StorageBytes ? StoragePeakBytes : Used(meter);

    public PeriodUsage Add(Meter meter, long quantity) => meter switch
    {
        Meter.Tasks => this with { Tasks = Tasks + quantity },
        Meter.ComputeMinutes => this with { ComputeSeconds = ComputeSeconds + quantity },
        Meter.ApiCalls => this with { ApiCalls = ApiCalls + quantity },
        Meter.StorageBytes => this with { StorageBytes = StorageBytes + quantity, StoragePeakBytes = Math.Max(StoragePeakBytes, StorageBytes + quantity) },
        _ => throw new ArgumentOutOfRangeException(nameof(meter), meter, null),
    };
}
