using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Workforce.Core.Messaging;
using Workforce.Core.Storage;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// <see cref="IMessageStore"/> on a table of its own. Each inbox is a partition (the tenant and the receiving agent):
/// a row per message, keyed <c>m_</c> + the send time's ticks + the id so that key order is send order, and an index
/// row <c>i_</c> + the id naming it, so an acknowledgement finds its message with point reads. Both are written in
/// one partition transaction. A receive leases each message with its ETag, so two receives of one inbox never both
/// take it. Unlike SQLite, a send to several inboxes is one transaction per inbox: the limits are checked for every
/// inbox first, but two concurrent sends may both pass the check.
/// </summary>
internal sealed class AzureMessageStore(AzureStorage storage) : IMessageStore
{
    private const string MessagePrefix = "m_";
    private const string IndexPrefix = "i_";

    private TableClient Table => storage.Messages;

    public async Task<IReadOnlyList<Guid>> SendAsync(string tenantId, IReadOnlyList<AgentMessage> messages, int inboxLimit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var inboxes = messages.GroupBy(message => message.Receiver).ToList();
        var full = new List<Guid>();
        foreach (var inbox in inboxes)
        {
            var held = 0;
            var filter = TableFilter.And(Unacknowledged(Partition(tenantId, inbox.Key)), $"ExpiresAt gt {now.UtcTicks}L");
            await foreach (var _ in Table.QueryAllAsync(filter, cancellationToken, select: ["RowKey"]))
            {
                if (++held + inbox.Count() > inboxLimit)
                {
                    break;
                }
            }

            if (held + inbox.Count() > inboxLimit)
            {
                full.Add(inbox.Key);
            }
        }

        if (full.Count > 0)
        {
            return full;
        }

        foreach (var inbox in inboxes)
        {
            var partition = Partition(tenantId, inbox.Key);
            foreach (var chunk in Transactions(inbox))
            {
                await Table.SubmitTransactionAsync(chunk.SelectMany(message => Rows(partition, message)), cancellationToken);
            }
        }

        return full;
    }

    public async Task<IReadOnlyList<DeliveredMessage>> ReceiveAsync(string tenantId, Guid agentId, DateTimeOffset now, TimeSpan visibility, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var visibleUntil = now + visibility;
        var filter = TableFilter.And(
            Unacknowledged(Partition(tenantId, agentId)),
            $"VisibleAt le {now.UtcTicks}L and ExpiresAt gt {now.UtcTicks}L");
        var delivered = new List<DeliveredMessage>(limit);
        await foreach (var row in Table.QueryAllAsync(filter, cancellationToken))
        {
            var attempt = (row.GetInt32("Attempts") ?? 0) + 1;
            var lease = new TableEntity(row.PartitionKey, row.RowKey)
            {
                ["VisibleAt"] = visibleUntil.UtcTicks,
                ["Attempts"] = attempt,
            };
            try
            {
                await Table.UpdateEntityAsync(lease, row.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                continue; // Another receive leased it, or it was purged, since the query read it.
            }

            delivered.Add(new DeliveredMessage(StoredJson.Deserialize<AgentMessage>(row.GetLargeText("Body")!), attempt, visibleUntil));
            if (delivered.Count == limit)
            {
                break;
            }
        }

        return delivered;
    }

    public async Task<bool> AcknowledgeAsync(string tenantId, Guid agentId, Guid messageId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var partition = Partition(tenantId, agentId);
        if (await Table.FindAsync(partition, IndexPrefix + messageId.ToString("N"), cancellationToken) is not { } index
            || await Table.FindAsync(partition, index.GetString("Message"), cancellationToken) is not { } row)
        {
            return false;
        }

        if (row.GetBoolean("Acknowledged") != true)
        {
            var ack = new TableEntity(partition, row.RowKey) { ["Acknowledged"] = true, ["AcknowledgedAt"] = now.UtcTicks };
            await Table.UpdateEntityAsync(ack, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }

        return true;
    }

    /// <summary>A scan of every inbox for acknowledged or expired messages (run only by the cleanup job), deleted with their index rows.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var filter = TableClient.CreateQueryFilter(
            $"RowKey ge {MessagePrefix} and RowKey lt {"m`"} and ((Acknowledged eq true and AcknowledgedAt lt {now.UtcTicks}) or ExpiresAt le {now.UtcTicks})");
        var old = new List<(string Partition, string Row, string Id)>();
        await foreach (var row in Table.QueryAllAsync(filter, cancellationToken, select: ["PartitionKey", "RowKey", "Id"]))
        {
            old.Add((row.PartitionKey, row.RowKey, row.GetString("Id")));
            if (old.Count == limit)
            {
                break;
            }
        }

        foreach (var partition in old.GroupBy(key => key.Partition, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(TableActions.MaxOperations / 2))
            {
                await Table.SubmitTransactionAsync(
                    chunk.SelectMany(key => new[]
                    {
                        TableActions.Delete(key.Partition, key.Row, ETag.All),
                        TableActions.Delete(key.Partition, IndexPrefix + key.Id, ETag.All),
                    }),
                    cancellationToken);
            }
        }

        return old.Count;
    }

    /// <summary>
    /// The messages in transactions of two rows each: at most 50 messages, and under the 4 MiB a transaction may carry
    /// (a message's payload may be 256 KiB).
    /// </summary>
    private static IEnumerable<List<AgentMessage>> Transactions(IEnumerable<AgentMessage> messages)
    {
        const int MaxBytes = 3 * 1024 * 1024;
        var chunk = new List<AgentMessage>();
        var bytes = 0;
        foreach (var message in messages)
        {
            var size = (message.Payload?.Utf8Length ?? 0) + 1024;
            if (chunk.Count > 0 && (chunk.Count == TableActions.MaxOperations / 2 || bytes + size > MaxBytes))
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }

            chunk.Add(message);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private static string Partition(string tenantId, Guid agentId) => tenantId + "_" + agentId.ToString("N");

    private static string Unacknowledged(string partition) =>
        TableFilter.And(TableFilter.RowsStartingWith(partition, MessagePrefix), "Acknowledged eq false");

    private static IEnumerable<TableTransactionAction> Rows(string partition, AgentMessage message)
    {
        var id = message.Id.ToString("N");
        var rowKey = MessagePrefix + message.SentAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "_" + id;
        var row = new TableEntity(partition, rowKey)
        {
            ["Id"] = id,
            ["VisibleAt"] = message.SentAt.UtcTicks,
            ["ExpiresAt"] = message.ExpiresAt.UtcTicks,
            ["Acknowledged"] = false,
            ["Attempts"] = 0,
        };
        row.SetLargeText("Body", StoredJson.Serialize(message));
        yield return TableActions.Insert(row);
        yield return TableActions.Insert(new TableEntity(partition, IndexPrefix + id) { ["Message"] = rowKey });
    }
}
