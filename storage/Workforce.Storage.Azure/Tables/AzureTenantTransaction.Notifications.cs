using Azure;
using Azure.Data.Tables;
using Workforce.Core.Notifications;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// Notification endpoints, templates, deliveries and fan-out records in the tenant's partition, written with the
/// commit. A row read in this transaction is replaced or deleted only if unchanged since, one seen absent is
/// inserted, and one never read is read at commit for its ETag. A delivery has a list copy, newest first. A fan-out
/// inserts its record and a row keyed by its sequence: of two transactions that took the same sequence, the second
/// fails on that insert and runs again on the new last sequence.
/// </summary>
internal sealed partial class AzureTenantTransaction
{
    // Rows as this transaction first read them (null: seen absent): a later read does not move the guard.
    private readonly Dictionary<string, TableEntity?> _storedNotificationRows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NotificationEndpoint?> _endpointChanges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (NotificationTemplate Template, bool Removed)> _templateChanges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NotificationDelivery> _deliveryChanges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FannedOutEvent> _fanOuts = new(StringComparer.Ordinal);

    public async ValueTask<IReadOnlyList<NotificationEndpoint>> NotificationEndpointsAsync()
    {
        var endpoints = (await ReadNotificationRowsAsync(RowKeys.EndpointPrefix)).Select(TableRows.Endpoint).ToDictionary(e => e.Id, StringComparer.Ordinal);
        foreach (var (id, change) in _endpointChanges)
        {
            if (change is null)
            {
                endpoints.Remove(id);
            }
            else
            {
                endpoints[id] = change;
            }
        }

        return [.. endpoints.Values.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }

    public void Save(NotificationEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        EnsureSameTenant(endpoint.TenantId);
        _endpointChanges[endpoint.Id] = endpoint;
    }

    public void Remove(NotificationEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        EnsureSameTenant(endpoint.TenantId);
        _endpointChanges[endpoint.Id] = null;
    }

    public async ValueTask<IReadOnlyList<NotificationTemplate>> NotificationTemplatesAsync()
    {
        var templates = (await ReadNotificationRowsAsync(RowKeys.TemplatePrefix)).ToDictionary(r => r.RowKey, TableRows.Template, StringComparer.Ordinal);
        foreach (var (rowKey, (template, removed)) in _templateChanges)
        {
            if (removed)
            {
                templates.Remove(rowKey);
            }
            else
            {
                templates[rowKey] = template;
            }
        }

        return [.. templates.Values];
    }

    public void Save(NotificationTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        EnsureSameTenant(template.TenantId);
        _templateChanges[RowKeys.Template(template.Event, template.Channel)] = (template, false);
    }

    public void Remove(NotificationTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        EnsureSameTenant(template.TenantId);
        _templateChanges[RowKeys.Template(template.Event, template.Channel)] = (template, true);
    }

    public async ValueTask<NotificationDelivery?> FindDeliveryAsync(string deliveryId)
    {
        if (_deliveryChanges.TryGetValue(deliveryId, out var saved))
        {
            return saved;
        }

        var rowKey = RowKeys.Delivery(deliveryId);
        if (!_storedNotificationRows.TryGetValue(rowKey, out var row))
        {
            row = await Table.FindAsync(tenantId, rowKey, cancellationToken);
            _storedNotificationRows[rowKey] = row;
        }

        return row is null ? null : TableRows.Delivery(row);
    }

    public void Save(NotificationDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        EnsureSameTenant(delivery.TenantId);
        _deliveryChanges[delivery.Id] = delivery;
    }

    public async ValueTask<FannedOutEvent?> FindFannedOutEventAsync(string eventId) =>
        _fanOuts.TryGetValue(eventId, out var added) ? added
        : await Table.FindAsync(tenantId, RowKeys.FanOut(eventId), cancellationToken) is { } row ? TableRows.FanOut(row)
        : null;

    /// <summary>The first row of the sequence rows, which are keyed highest first; or the highest this transaction added.</summary>
    public async ValueTask<long> LastNotificationSequenceAsync()
    {
        var page = await Table.QueryPageAsync(TableFilter.RowsStartingWith(tenantId, RowKeys.SequencePrefix), 1, null, cancellationToken);
        var stored = page.Entities.Count > 0 ? RowKeys.SequenceOf(page.Entities[0].RowKey) : 0;
        return _fanOuts.Values.Select(f => f.Sequence).Append(stored).Max();
    }

    public void Add(FannedOutEvent fannedOut)
    {
        ArgumentNullException.ThrowIfNull(fannedOut);
        _fanOuts[fannedOut.EventId] = fannedOut;
    }

    /// <summary>Fan-outs first: they are what concurrent fan-outs conflict on, and a conflict is cheapest in the first chunk.</summary>
    private async Task<IEnumerable<OperationGroup>> NotificationOperationsAsync()
    {
        await ReadUnreadNotificationRowsAsync();
        return
        [
            .. _fanOuts.Values.Select(f => new OperationGroup([TableActions.Insert(TableRows.FanOut(tenantId, f)), TableActions.Insert(TableRows.Sequence(tenantId, f))], 0)),
            .. _deliveryChanges.Values.Select(DeliveryOperations),
            .. _endpointChanges.Select(c => DocumentOperation(RowKeys.Endpoint(c.Key), c.Value is null ? null : TableRows.Endpoint(c.Value))).OfType<OperationGroup>(),
            .. _templateChanges.Select(c => DocumentOperation(c.Key, c.Value.Removed ? null : TableRows.Template(c.Value.Template))).OfType<OperationGroup>(),
        ];
    }

    /// <returns>The rows of the kind, as this transaction first read each.</returns>
    private async Task<List<TableEntity>> ReadNotificationRowsAsync(string prefix)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, prefix), cancellationToken))
        {
            _storedNotificationRows.TryAdd(row.RowKey, row);
            rows.Add(_storedNotificationRows[row.RowKey] ?? row);
        }

        return rows;
    }

    /// <summary>A row written without being read in this transaction is read now, in parallel: its ETag guards the write.</summary>
    private async Task ReadUnreadNotificationRowsAsync()
    {
        var unread = _endpointChanges.Keys.Select(RowKeys.Endpoint)
            .Concat(_templateChanges.Keys)
            .Concat(_deliveryChanges.Keys.Select(RowKeys.Delivery))
            .Where(rowKey => !_storedNotificationRows.ContainsKey(rowKey))
            .ToList();
        var rows = await Task.WhenAll(unread.Select(rowKey => Table.FindAsync(tenantId, rowKey, cancellationToken)));
        for (var i = 0; i < unread.Count; i++)
        {
            _storedNotificationRows[unread[i]] = rows[i];
        }
    }

    /// <param name="entity">What to write; null to delete the row.</param>
    private OperationGroup? DocumentOperation(string rowKey, TableEntity? entity)
    {
        var stored = _storedNotificationRows[rowKey];
        var operation = entity is null
            ? stored is null ? null : TableActions.Delete(tenantId, rowKey, stored.ETag)
            : stored is null ? TableActions.Insert(entity) : TableActions.Replace(entity, stored.ETag);
        return operation is null ? null : new OperationGroup([operation], 0);
    }

    /// <summary>The delivery's own row carries the guard; its list copy changes only with it, so needs none of its own.</summary>
    private OperationGroup DeliveryOperations(NotificationDelivery delivery)
    {
        var rowKey = RowKeys.Delivery(delivery.Id);
        var copyKey = RowKeys.DeliveryList(delivery.CreatedAt, delivery.Id);
        var own = TableRows.Delivery(rowKey, delivery);
        var copy = TableRows.Delivery(copyKey, delivery);
        if (_storedNotificationRows[rowKey] is not { } stored)
        {
            return new OperationGroup([TableActions.Insert(own), TableActions.Insert(copy)], 0);
        }

        var storedCopyKey = TableRows.DeliveryListKey(stored);
        return storedCopyKey == copyKey
            ? new OperationGroup([TableActions.Replace(own, stored.ETag), TableActions.Replace(copy, ETag.All)], 0)
            : new OperationGroup([TableActions.Replace(own, stored.ETag), TableActions.Delete(tenantId, storedCopyKey, ETag.All), TableActions.Insert(copy)], 0);
    }
}
