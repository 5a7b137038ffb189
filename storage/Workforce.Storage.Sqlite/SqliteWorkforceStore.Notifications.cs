using System.Globalization;
using System.Text;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;

namespace Workforce.Storage.Sqlite;

/// <summary>Notification endpoints, templates and deliveries as queries read them, and the purge of old deliveries.</summary>
public sealed partial class SqliteWorkforceStore
{
    public Task<IReadOnlyList<NotificationEndpoint>> ListNotificationEndpointsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<NotificationEndpoint>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql.ListEndpoints;
            command.Parameters.AddWithValue("$tenant", tenantId);
            return command.ReadAll(row => StoredJson.Deserialize<NotificationEndpoint>(row.GetString(0)));
        });

    public Task<IReadOnlyList<NotificationTemplate>> ListNotificationTemplatesAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<NotificationTemplate>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql.ListTemplates;
            command.Parameters.AddWithValue("$tenant", tenantId);
            return command.ReadAll(row => StoredJson.Deserialize<NotificationTemplate>(row.GetString(0)));
        });

    public Task<NotificationDelivery?> FindDeliveryAsync(string tenantId, string deliveryId, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql.FindDelivery;
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$id", deliveryId);
            return command.ExecuteScalar() is string body ? StoredJson.Deserialize<NotificationDelivery>(body) : null;
        });

    /// <summary>Newest first through the list index; the cursor is the creation time and id of the last delivery shown.</summary>
    public Task<Page<NotificationDelivery>> ListDeliveriesAsync(string tenantId, DeliveryFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var after = DeliveryCursor.Decode(page.Cursor);
        return Read(connection =>
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder("SELECT body, created_at, id FROM notification_deliveries INDEXED BY ix_deliveries_list WHERE tenant_id = $tenant");
            command.Parameters.AddWithValue("$tenant", tenantId);
            if (after is var (afterCreated, afterId))
            {
                sql.Append(" AND (created_at < $afterCreated OR (created_at = $afterCreated AND id > $afterId))");
                command.Parameters.AddWithValue("$afterCreated", afterCreated);
                command.Parameters.AddWithValue("$afterId", afterId);
            }

            if (filter.EndpointId is { } endpointId)
            {
                sql.Append(" AND endpoint_id = $endpoint");
                command.Parameters.AddWithValue("$endpoint", endpointId);
            }

            if (filter.Status is { } status)
            {
                sql.Append(" AND status = $status");
                command.Parameters.AddWithValue("$status", (int)status);
            }

            if (filter.EventType is { } eventType)
            {
                sql.Append(" AND event_type = $event");
                command.Parameters.AddWithValue("$event", eventType);
            }

            if (filter.CreatedSince is { } since)
            {
                sql.Append(" AND created_at >= $since");
                command.Parameters.AddWithValue("$since", since.UtcTicks);
            }

            sql.Append(" ORDER BY created_at DESC, id LIMIT $limit");
            command.Parameters.AddWithValue("$limit", page.Limit + 1);
            command.CommandText = sql.ToString();
            var rows = command.ReadAll(row => (Delivery: StoredJson.Deserialize<NotificationDelivery>(row.GetString(0)), Created: row.GetInt64(1), Id: row.GetString(2)));
            return rows.Count > page.Limit
                ? new Page<NotificationDelivery>([.. rows.Take(page.Limit).Select(r => r.Delivery)], DeliveryCursor.Encode(rows[page.Limit - 1].Created, rows[page.Limit - 1].Id))
                : new Page<NotificationDelivery>([.. rows.Select(r => r.Delivery)], null);
        });
    }

    public Task<int> PurgeDeliveriesAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync(commands =>
        {
            var deliveries = commands.Get(Sql.PurgeDeliveries);
            deliveries.Parameters.AddWithValue("$before", createdBefore.UtcTicks);
            deliveries.Parameters.AddWithValue("$limit", limit);
            var purged = deliveries.ExecuteNonQuery();
            var fanOuts = commands.Get(Sql.PurgeFanOuts);
            fanOuts.Parameters.AddWithValue("$before", createdBefore.UtcTicks);
            fanOuts.Parameters.AddWithValue("$limit", limit);
            fanOuts.ExecuteNonQuery();
            return purged;
        }, cancellationToken);

    /// <summary>A delivery list's cursor: the creation time and id of the last delivery shown, opaque to clients.</summary>
    private static class DeliveryCursor
    {
        public static string Encode(long createdTicks, string id) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes("d" + createdTicks.ToString(CultureInfo.InvariantCulture) + "_" + id)).TrimEnd('=');

        public static (long CreatedTicks, string Id)? Decode(string? cursor)
        {
            if (cursor is null)
            {
                return null;
            }

            try
            {
                var padded = cursor.PadRight(cursor.Length + ((4 - (cursor.Length % 4)) % 4), '=');
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
                var split = text.IndexOf('_', StringComparison.Ordinal);
                if (text.StartsWith('d') && split > 1
                    && long.TryParse(text.AsSpan(1, split - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var created))
                {
                    return (created, text[(split + 1)..]);
                }
            }
            catch (FormatException)
            {
            }

            throw new InvalidCursorException("The cursor is not valid.");
        }
    }
}
