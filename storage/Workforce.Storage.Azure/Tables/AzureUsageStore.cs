using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Workforce.Core.Usage;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// <see cref="IUsageStore"/> on Tables: a partition per tenant and month (<c>{tenant}_{yyyyMM}</c>), so a month's
/// bill is one partition read and no partition grows forever; row keys are time then id, so a period is one key
/// range. The same record again maps to the same row, and its insert conflicts harmlessly.
/// </summary>
internal sealed class AzureUsageStore(AzureStorage storage) : IUsageStore
{
    public async Task RecordAsync(UsageRecord record, CancellationToken cancellationToken = default)
    {
        UsageRecords.Check(record);
        var row = new TableEntity(Partition(record.TenantId, record.OccurredAt), RowKey(record.OccurredAt.UtcTicks) + "_" + Uri.EscapeDataString(record.Id));
        row.Set("Id", record.Id);
        row.Set("Meter", record.Meter);
        row.Set("Quantity", record.Quantity);
        row.Set("OccurredAt", record.OccurredAt.UtcTicks);
        try
        {
            await storage.Usage.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
    }

    public async IAsyncEnumerable<UsageRecord> QueryAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var month = new DateTimeOffset(from.UtcDateTime.Year, from.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero); month < to; month = month.AddMonths(1))
        {
            var filter = TableFilter.RowsBetween(Partition(tenantId, month), RowKey(from.UtcTicks), RowKey(to.UtcTicks));
            await foreach (var row in storage.Usage.QueryAllAsync(filter, cancellationToken))
            {
                yield return new UsageRecord(tenantId, row.GetString("Id")!, row.GetString("Meter")!, row.GetNumber("Quantity")!.Value,
                    TableRows.Time(row.GetInt64("OccurredAt"))!.Value);
            }
        }
    }

    private static string Partition(string tenantId, DateTimeOffset time) => $"{tenantId}_{time.UtcDateTime:yyyyMM}";

    private static string RowKey(long ticks) => ticks.ToString("D19", CultureInfo.InvariantCulture);
}
