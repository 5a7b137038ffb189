using Workforce.Core.Notifications;
using Workforce.Core.Storage;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// Notification endpoints, templates, deliveries and fan-out records inside the transaction, each a row whose body
/// is the whole document. Transactions run one at a time, so two never read the same last sequence; the unique
/// index on (tenant, sequence) would fail the second if they did.
/// </summary>
internal sealed partial class SqliteTenantTransaction
{
    public ValueTask<IReadOnlyList<NotificationEndpoint>> NotificationEndpointsAsync()
    {
        var command = commands.Get(Sql.ListEndpoints);
        command.Parameters.AddWithValue("$tenant", tenantId);
        return ValueTask.FromResult<IReadOnlyList<NotificationEndpoint>>(command.ReadAll(row => StoredJson.Deserialize<NotificationEndpoint>(row.GetString(0))));
    }

    public void Save(NotificationEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        EnsureSameTenant(endpoint.TenantId);
        var command = commands.Get(Sql.UpsertEndpoint);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$id", endpoint.Id);
        command.Parameters.AddWithValue("$created", endpoint.CreatedAt.UtcTicks);
        command.Parameters.AddWithValue("$body", StoredJson.Serialize(endpoint));
        command.ExecuteNonQuery();
    }

    public void Remove(NotificationEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        EnsureSameTenant(endpoint.TenantId);
        var command = commands.Get(Sql.DeleteEndpoint);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$id", endpoint.Id);
        command.ExecuteNonQuery();
    }

    public ValueTask<IReadOnlyList<NotificationTemplate>> NotificationTemplatesAsync()
    {
        var command = commands.Get(Sql.ListTemplates);
        command.Parameters.AddWithValue("$tenant", tenantId);
        return ValueTask.FromResult<IReadOnlyList<NotificationTemplate>>(command.ReadAll(row => StoredJson.Deserialize<NotificationTemplate>(row.GetString(0))));
    }

    public void Save(NotificationTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        EnsureSameTenant(template.TenantId);
        var command = commands.Get(Sql.UpsertTemplate);
        BindTemplateKey(command.Parameters, template);
        command.Parameters.AddWithValue("$body", StoredJson.Serialize(template));
        command.ExecuteNonQuery();
    }

    public void Remove(NotificationTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        EnsureSameTenant(template.TenantId);
        var command = commands.Get(Sql.DeleteTemplate);
        BindTemplateKey(command.Parameters, template);
        command.ExecuteNonQuery();
    }

    public ValueTask<NotificationDelivery?> FindDeliveryAsync(string deliveryId)
    {
        var command = commands.Get(Sql.FindDelivery);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$id", deliveryId);
        return ValueTask.FromResult(command.ExecuteScalar() is string body ? StoredJson.Deserialize<NotificationDelivery>(body) : null);
    }

    public void Save(NotificationDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        EnsureSameTenant(delivery.TenantId);
        var command = commands.Get(Sql.UpsertDelivery);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$id", delivery.Id);
        command.Parameters.AddWithValue("$endpoint", delivery.EndpointId);
        command.Parameters.AddWithValue("$status", (int)delivery.Status);
        command.Parameters.AddWithValue("$event", delivery.Event.Type);
        command.Parameters.AddWithValue("$created", delivery.CreatedAt.UtcTicks);
        command.Parameters.AddWithValue("$body", StoredJson.Serialize(delivery));
        command.ExecuteNonQuery();
    }

    public ValueTask<FannedOutEvent?> FindFannedOutEventAsync(string eventId)
    {
        var command = commands.Get(Sql.FindFanOut);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$event", eventId);
        return ValueTask.FromResult(command.ExecuteScalar() is string body ? StoredJson.Deserialize<FannedOutEvent>(body) : null);
    }

    public ValueTask<long> LastNotificationSequenceAsync()
    {
        var command = commands.Get(Sql.LastNotificationSequence);
        command.Parameters.AddWithValue("$tenant", tenantId);
        return ValueTask.FromResult((long)command.ExecuteScalar()!);
    }

    public void Add(FannedOutEvent fannedOut)
    {
        ArgumentNullException.ThrowIfNull(fannedOut);
        var command = commands.Get(Sql.InsertFanOut);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$event", fannedOut.EventId);
        command.Parameters.AddWithValue("$sequence", fannedOut.Sequence);
        command.Parameters.AddWithValue("$at", fannedOut.At.UtcTicks);
        command.Parameters.AddWithValue("$body", StoredJson.Serialize(fannedOut));
        command.ExecuteNonQuery();
    }

    private void BindTemplateKey(Microsoft.Data.Sqlite.SqliteParameterCollection parameters, NotificationTemplate template)
    {
        parameters.AddWithValue("$tenant", tenantId);
        parameters.AddWithValue("$event", template.Event);
        parameters.AddWithValue("$channel", (int)template.Channel);
    }
}
