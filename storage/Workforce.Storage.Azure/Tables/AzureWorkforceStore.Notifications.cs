using Azure.Data.Tables;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;
using ETag = Azure.ETag;

namespace Workforce.Storage.Azure.Tables;

/// <summary>Notification endpoints, templates and deliveries as queries read them, and the purge of old deliveries.</summary>
internal sealed partial class AzureWorkforceStore
{
    /// <summary>A purge deletes this many matches per entity-group transaction: each is two rows (a delivery and its copy, a fan-out and its sequence).</summary>
    private const int PurgedPerBatch = TableActions.MaxOperations / 2;

    public async Task<IReadOnlyList<NotificationEndpoint>> ListNotificationEndpointsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var endpoints = new List<NotificationEndpoint>();
        await foreach (var row in Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, RowKeys.EndpointPrefix), cancellationToken))
        {
            endpoints.Add(TableRows.Endpoint(row));
        }

        return [.. endpoints.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<NotificationTemplate>> ListNotificationTemplatesAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var templates = new List<NotificationTemplate>();
        await foreach (var row in Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, RowKeys.TemplatePrefix), cancellationToken))
        {
            templates.Add(TableRows.Template(row));
        }

        return templates;
    }

    public async Task<NotificationDelivery?> FindDeliveryAsync(string tenantId, string deliveryId, CancellationToken cancellationToken = default) =>
        await Table.FindAsync(tenantId, RowKeys.Delivery(deliveryId), cancellationToken) is { } row ? TableRows.Delivery(row) : null;

    /// <summary>
    /// The list copies are in newest-first key order, so deliveries created since a time are a key range; the other
    /// filters run in the service, a page at a time, and the cursor works as the task list's does.
    /// </summary>
    public async Task<Page<NotificationDelivery>> ListDeliveriesAsync(string tenantId, DeliveryFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var (from, next) = ListCursor.Deliveries.Decode(page.Cursor);
        var query = filter.CreatedSince is { } since
            ? TableFilter.RowsBetween(tenantId, from, RowKeys.DeliveriesCreatedBefore(since))
            : TableFilter.RowsFrom(tenantId, RowKeys.DeliveryListPrefix, from);
        if (filter.EndpointId is { } endpointId)
        {
            query = TableFilter.And(query, TableFilter.Equal("EndpointId", endpointId));
        }

        if (filter.Status is { } status)
        {
            query = TableFilter.And(query, TableFilter.Equal("Status", (int)status));
        }

        if (filter.EventType is { } eventType)
        {
            query = TableFilter.And(query, TableFilter.Equal("EventType", eventType));
        }

        var (rows, cursor) = await ReadListAsync(ListCursor.Deliveries, query, from, next, page.Limit, cancellationToken);
        return new Page<NotificationDelivery>([.. rows.Select(TableRows.Delivery)], cursor);
    }

    /// <summary>
    /// Visits each tenant's oldest list copies (the end of its newest-first range) and deletes each with its delivery;
    /// then its fan-out records from before the cutoff, with their sequence rows, but for the latest, which holds the
    /// tenant's last sequence. Fan-out records are bounded by <paramref name="limit"/> too.
    /// </summary>
    public async Task<int> PurgeDeliveriesAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default)
    {
        int deliveries = 0, fanOuts = 0;
        await foreach (var tenantId in tenants.AllAsync(cancellationToken))
        {
            var oldCopies = TableFilter.RowsFrom(tenantId, RowKeys.DeliveryListPrefix, RowKeys.DeliveriesCreatedBefore(createdBefore));
            deliveries += await PurgeAsync(tenantId, oldCopies, limit - deliveries, copy => [copy.RowKey, RowKeys.Delivery(RowKeys.DeliveryIdOfList(copy.RowKey))], cancellationToken);

            var last = await Table.QueryPageAsync(TableFilter.RowsStartingWith(tenantId, RowKeys.SequencePrefix), 1, null, cancellationToken, select: ["PartitionKey", "RowKey"]);
            if (last.Entities.Count > 0)
            {
                var oldFanOuts = TableFilter.And(TableFilter.RowsStartingWith(tenantId, RowKeys.FanOutPrefix),
                    TableFilter.And(TableFilter.Below("At", createdBefore.UtcTicks), TableFilter.Below("Sequence", RowKeys.SequenceOf(last.Entities[0].RowKey))));
                fanOuts += await PurgeAsync(tenantId, oldFanOuts, limit - fanOuts, fanOut => [fanOut.RowKey, RowKeys.Sequence(fanOut.GetInt64("Sequence")!.Value)], cancellationToken);
            }

            if (deliveries >= limit && fanOuts >= limit)
            {
                break;
            }
        }

        return deliveries;
    }

    /// <summary>Deletes the rows each match of the query names, a batch of matches per transaction, up to <paramref name="limit"/> matches.</summary>
    /// <returns>How many matches were deleted.</returns>
    private async Task<int> PurgeAsync(string tenantId, string query, int limit, Func<TableEntity, string[]> rowsOf, CancellationToken cancellationToken)
    {
        var purged = 0;
        string? next = null;
        while (purged < limit)
        {
            var size = Math.Min(limit - purged, PurgedPerBatch);
            var page = await Table.QueryPageAsync(query, size, next, cancellationToken, select: ["PartitionKey", "RowKey", "Sequence"]);
            if (page.Entities.Count > 0)
            {
                await Table.SubmitTransactionAsync([.. page.Entities.SelectMany(rowsOf).Select(rowKey => TableActions.Delete(tenantId, rowKey, ETag.All))], cancellationToken);
                purged += page.Entities.Count;
            }

            // A full page may have more after it; the rows it held are gone, so the query starts over.
            if ((next = page.Continuation) is null && page.Entities.Count < size)
            {
                break;
            }
        }

        return purged;
    }
}
