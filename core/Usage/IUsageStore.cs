namespace Workforce.Core.Usage;

/// <summary>
/// A metered quantity of one tenant's use of the platform (a completed task, seconds of agent time, bytes stored).
/// <see cref="Id"/> names the metered event, e.g. <c>task:{id}:completed</c>, so that metering it again is harmless.
/// </summary>
public sealed record UsageRecord(string TenantId, string Id, string Meter, double Quantity, DateTimeOffset OccurredAt)
{
    public const int MaxIdLength = 200;
    public const int MaxMeterLength = 100;
}

/// <summary>The usage records of every tenant: what its bill is computed from.</summary>
public interface IUsageStore
{
    /// <summary>
    /// Keeps the record. Idempotent by <see cref="UsageRecord.Id"/> within the tenant: a record whose id is already
    /// kept is ignored, so a meter may retry after a failure without counting twice. A retry must carry the same
    /// <see cref="UsageRecord.OccurredAt"/>, which partitions the records by period.
    /// </summary>
    /// <exception cref="ArgumentException">The id or meter is empty or too long.</exception>
    Task RecordAsync(UsageRecord record, CancellationToken cancellationToken = default);

    /// <summary>The tenant's records that occurred at or after <paramref name="from"/> and before <paramref name="to"/>, oldest first.</summary>
    IAsyncEnumerable<UsageRecord> QueryAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}

public static class UsageRecords
{
    /// <exception cref="ArgumentException">The record cannot be kept.</exception>
    public static void Check(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrEmpty(record.Id) || record.Id.Length > UsageRecord.MaxIdLength)
        {
            throw new ArgumentException($"A usage record needs an id of 1 to {UsageRecord.MaxIdLength} characters.", nameof(record));
        }

        if (string.IsNullOrEmpty(record.Meter) || record.Meter.Length > UsageRecord.MaxMeterLength)
        {
            throw new ArgumentException($"A usage record needs a meter of 1 to {UsageRecord.MaxMeterLength} characters.", nameof(record));
        }
    }
}
