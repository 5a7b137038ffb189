using System.Globalization;
using Azure.Data.Tables;
using Workforce.Core.Audit;
using Workforce.Core.Storage;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// <see cref="IAuditLog"/> on a table of its own: partition key the tenant, row key the inverted time and the entry's
/// id, so newest first is key order and a range of time is a range of keys. The entry is kept whole as JSON beside the
/// properties it is filtered by. Purging reads the row keys of old entries across partitions (a range of every
/// partition, run only by the daily cleanup) and deletes them a partition's transaction at a time.
/// </summary>
internal sealed class AzureAuditLog(AzureStorage storage) : IAuditLog
{
    private const string CursorKind = "audit";
    private const int MaxTransaction = 100;

    private TableClient Table => storage.Audit;

    /// <summary>Per tenant in transactions of up to 100; an upsert, so a retried batch writes the same entries again and adds none.</summary>
    public async Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var tenant in entries.GroupBy(entry => entry.TenantId, StringComparer.Ordinal))
        {
            foreach (var chunk in tenant.DistinctBy(entry => entry.Id, StringComparer.Ordinal).Chunk(MaxTransaction))
            {
                await Table.SubmitTransactionAsync(chunk.Select(entry => TableActions.Upsert(Row(entry))), cancellationToken);
            }
        }
    }

    public async Task<Page<AuditEntry>> QueryAsync(AuditQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(page.Limit);
        if (query.From >= query.To)
        {
            return new Page<AuditEntry>([], null);
        }

        // [from, to) is the keys from the inverted (to - 1 tick) up to past every key of the inverted from.
        var first = Inverted(query.To.UtcTicks - 1);
        var filter = page.Cursor is { } cursor
            ? TableClient.CreateQueryFilter($"PartitionKey eq {query.TenantId} and RowKey gt {PageCursors.Decode(CursorKind, cursor)} and RowKey lt {Inverted(query.From.UtcTicks) + "~"}")
            : TableFilter.RowsBetween(query.TenantId, first, Inverted(query.From.UtcTicks) + "~");
        if (query.Actor is not null)
        {
            filter = TableFilter.And(filter, TableFilter.Equal("Actor", query.Actor));
        }

        if (query.Action is not null)
        {
            filter = TableFilter.And(filter, TableFilter.Equal("Action", query.Action));
        }

        var rows = new List<TableEntity>(page.Limit + 1);
        await foreach (var row in Table.QueryAllAsync(filter, cancellationToken))
        {
            rows.Add(row);
            if (rows.Count > page.Limit)
            {
                break;
            }
        }

        var items = rows.Take(page.Limit).Select(row => StoredJson.Deserialize<AuditEntry>(row.GetString("Body"))).ToList();
        return new Page<AuditEntry>(items, rows.Count > page.Limit ? PageCursors.Encode(CursorKind, rows[page.Limit - 1].RowKey) : null);
    }

    public async Task<int> PurgeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        // Recorded before the cutoff: at most (before - 1 tick), so at least that inverted.
        var filter = TableClient.CreateQueryFilter($"RowKey ge {Inverted(before.UtcTicks - 1)}");
        var old = new List<(string Partition, string Row)>();
        await foreach (var row in Table.QueryAllAsync(filter, cancellationToken, select: ["PartitionKey", "RowKey"]))
        {
            old.Add((row.PartitionKey, row.RowKey));
            if (old.Count == limit)
            {
                break;
            }
        }

        foreach (var partition in old.GroupBy(key => key.Partition, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(MaxTransaction))
            {
                await Table.SubmitTransactionAsync(chunk.Select(key => TableActions.Delete(key.Partition, key.Row, global::Azure.ETag.All)), cancellationToken);
            }
        }

        return old.Count;
    }

    private static TableEntity Row(AuditEntry entry) => new(entry.TenantId, Inverted(entry.At.UtcTicks) + "_" + entry.Id)
    {
        ["Actor"] = entry.Actor,
        ["Action"] = entry.Action,
        ["At"] = entry.At.UtcTicks,
        ["Body"] = StoredJson.Serialize(entry),
    };

    private static string Inverted(long ticks) => (long.MaxValue - ticks).ToString("D19", CultureInfo.InvariantCulture);
}
