using Azure;
using Azure.Data.Tables;
using Workforce.Core.Queues;
using Workforce.Storage.Azure.Tables;

namespace Workforce.Storage.Azure.Queues;

/// <summary>
/// A row per queued message, in a partition per tenant, because the Queue service counts only whole queues
/// (approximately) and knows nothing of tenants, scheduling or dead letters. The queue stays the truth: a row is
/// added after its message was sent and removed after its message was settled, so a crash between the two leaves
/// a count off by one until the message is settled or purged.
/// </summary>
internal sealed class QueueLedger(AzureStorage storage, TimeProvider clock)
{
    private const string NoTenant = "-";

    public Task AddAsync(string queue, QueueEnvelope envelope, DateTimeOffset visibleAt, CancellationToken cancellationToken)
    {
        var row = new TableEntity(envelope.Tenant ?? NoTenant, RowKey(queue, envelope.Ledger));
        row.Set("Queue", queue);
        row.Set("VisibleAt", visibleAt.UtcTicks);
        row.Set("ExpiresAt", envelope.ExpiresAt);
        return storage.QueueLedger.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public Task MarkDeadLetteredAsync(string queue, QueueEnvelope envelope, CancellationToken cancellationToken)
    {
        var row = new TableEntity(envelope.Tenant ?? NoTenant, RowKey(queue, envelope.Ledger));
        row.Set("Queue", queue);
        row.Set("DeadLetteredAt", envelope.DeadLetteredAt);
        return storage.QueueLedger.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public Task RemoveAsync(string queue, QueueEnvelope envelope, CancellationToken cancellationToken) =>
        storage.QueueLedger.DeleteEntityAsync(envelope.Tenant ?? NoTenant, RowKey(queue, envelope.Ledger), ETag.All, cancellationToken);

    /// <summary>
    /// Counts per queue from the ledger: one partition for a tenant, the whole table without one. A row of a message
    /// that expired in a queue that drops expired messages is not counted; the service has dropped it.
    /// </summary>
    public async Task<IReadOnlyList<QueueCounts>> CountAsync(string? tenantId, IReadOnlyList<QueueDefinition> definitions, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var counts = definitions.ToDictionary(d => d.Name, d => (Definition: d, Active: 0L, Scheduled: 0L, DeadLettered: 0L));
        var filter = tenantId is null ? "PartitionKey ne ''" : TableFilter.Partition(tenantId);
        await foreach (var row in storage.QueueLedger.QueryAllAsync(filter, cancellationToken))
        {
            if (row.GetString("Queue") is not { } queue || !counts.TryGetValue(queue, out var count))
            {
                continue;
            }

            if (row.GetInt64("DeadLetteredAt") is not null)
            {
                count.DeadLettered++;
            }
            else if (row.GetInt64("ExpiresAt") <= now && !count.Definition.DeadLetteringOnMessageExpiration)
            {
                continue;
            }
            else if (row.GetInt64("VisibleAt") > now)
            {
                count.Scheduled++;
            }
            else
            {
                count.Active++;
            }

            counts[queue] = count;
        }

        return [.. counts.Values.Select(c => new QueueCounts(c.Definition.Name, c.Active, c.Scheduled, c.DeadLettered))];
    }

    private static string RowKey(string queue, Guid ledger) => $"{queue}_{ledger:N}";
}
