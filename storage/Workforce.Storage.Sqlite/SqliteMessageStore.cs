using Workforce.Core.Messaging;
using Workforce.Core.Storage;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// <see cref="IMessageStore"/> on SQLite: one row per message and receiver, the message kept whole as JSON beside
/// the columns an inbox is read by. Every change is one write through the group-commit writer, so a send checks the
/// inbox limits and keeps its messages atomically, and two receives of one inbox never lease the same message.
/// </summary>
public sealed class SqliteMessageStore(SqliteDatabase database) : IMessageStore
{
    public Task<IReadOnlyList<Guid>> SendAsync(string tenantId, IReadOnlyList<AgentMessage> messages, int inboxLimit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return database.Writer.WriteAsync<IReadOnlyList<Guid>>(commands =>
        {
            var full = new List<Guid>();
            foreach (var receiver in messages.GroupBy(message => message.Receiver))
            {
                var count = commands.Get(
                    "SELECT count(*) FROM agent_messages INDEXED BY ix_messages_inbox " +
                    "WHERE tenant_id = $tenant AND receiver = $receiver AND acked_at IS NULL AND expires_at > $now");
                count.Parameters.AddWithValue("$tenant", tenantId);
                count.Parameters.AddWithValue("$receiver", receiver.Key);
                count.Parameters.AddWithValue("$now", now.UtcTicks);
                if (Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) + receiver.Count() > inboxLimit)
                {
                    full.Add(receiver.Key);
                }
            }

            if (full.Count > 0)
            {
                return full;
            }

            foreach (var message in messages)
            {
                var insert = commands.Get(
                    "INSERT INTO agent_messages (tenant_id, receiver, id, visible_at, expires_at, body) " +
                    "VALUES ($tenant, $receiver, $id, $visible, $expires, $body)");
                insert.Parameters.AddWithValue("$tenant", tenantId);
                insert.Parameters.AddWithValue("$receiver", message.Receiver);
                insert.Parameters.AddWithValue("$id", message.Id);
                insert.Parameters.AddWithValue("$visible", message.SentAt.UtcTicks);
                insert.Parameters.AddWithValue("$expires", message.ExpiresAt.UtcTicks);
                insert.Parameters.AddWithValue("$body", StoredJson.Serialize(message));
                insert.ExecuteNonQuery();
            }

            return full;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<DeliveredMessage>> ReceiveAsync(string tenantId, Guid agentId, DateTimeOffset now, TimeSpan visibility, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (!HasVisible(tenantId, agentId, now))
        {
            // Most long-poll looks find nothing: answered from a reader, they leave the writer alone.
            return Task.FromResult<IReadOnlyList<DeliveredMessage>>([]);
        }

        var visibleUntil = now + visibility;
        return database.Writer.WriteAsync<IReadOnlyList<DeliveredMessage>>(commands =>
        {
            var select = commands.Get(
                "SELECT seq, attempts, body FROM agent_messages INDEXED BY ix_messages_inbox " +
                "WHERE tenant_id = $tenant AND receiver = $receiver AND acked_at IS NULL AND visible_at <= $now AND expires_at > $now " +
                "ORDER BY seq LIMIT $limit");
            select.Parameters.AddWithValue("$tenant", tenantId);
            select.Parameters.AddWithValue("$receiver", agentId);
            select.Parameters.AddWithValue("$now", now.UtcTicks);
            select.Parameters.AddWithValue("$limit", limit);
            var rows = select.ReadAll(row => (Seq: row.GetInt64(0), Attempts: row.GetInt32(1), Body: row.GetString(2)));
            var delivered = new List<DeliveredMessage>(rows.Count);
            foreach (var row in rows)
            {
                var lease = commands.Get("UPDATE agent_messages SET visible_at = $visible, attempts = attempts + 1 WHERE seq = $seq");
                lease.Parameters.AddWithValue("$visible", visibleUntil.UtcTicks);
                lease.Parameters.AddWithValue("$seq", row.Seq);
                lease.ExecuteNonQuery();
                delivered.Add(new DeliveredMessage(StoredJson.Deserialize<AgentMessage>(row.Body), row.Attempts + 1, visibleUntil));
            }

            return delivered;
        }, cancellationToken);
    }

    private bool HasVisible(string tenantId, Guid agentId, DateTimeOffset now)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT 1 FROM agent_messages INDEXED BY ix_messages_inbox " +
            "WHERE tenant_id = $tenant AND receiver = $receiver AND acked_at IS NULL AND visible_at <= $now AND expires_at > $now LIMIT 1";
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$receiver", agentId);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        return command.ExecuteScalar() is not null;
    }

    public Task<bool> AcknowledgeAsync(string tenantId, Guid agentId, Guid messageId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync(commands =>
        {
            var ack = commands.Get(
                "UPDATE agent_messages SET acked_at = coalesce(acked_at, $now) WHERE tenant_id = $tenant AND receiver = $receiver AND id = $id");
            ack.Parameters.AddWithValue("$now", now.UtcTicks);
            ack.Parameters.AddWithValue("$tenant", tenantId);
            ack.Parameters.AddWithValue("$receiver", agentId);
            ack.Parameters.AddWithValue("$id", messageId);
            return ack.ExecuteNonQuery() > 0;
        }, cancellationToken);

    /// <summary>Acknowledged ones first, then expired ones, through their indexes; one short transaction per batch.</summary>
    public Task<int> PurgeAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return database.Writer.WriteAsync(commands =>
        {
            var acknowledged = commands.Get(
                "DELETE FROM agent_messages WHERE seq IN " +
                "(SELECT seq FROM agent_messages INDEXED BY ix_messages_acked WHERE acked_at IS NOT NULL AND acked_at < $now LIMIT $limit)");
            acknowledged.Parameters.AddWithValue("$now", now.UtcTicks);
            acknowledged.Parameters.AddWithValue("$limit", limit);
            var deleted = acknowledged.ExecuteNonQuery();
            if (deleted < limit)
            {
                var expired = commands.Get(
                    "DELETE FROM agent_messages WHERE seq IN " +
                    "(SELECT seq FROM agent_messages INDEXED BY ix_messages_expiry WHERE expires_at <= $now ORDER BY expires_at LIMIT $limit)");
                expired.Parameters.AddWithValue("$now", now.UtcTicks);
                expired.Parameters.AddWithValue("$limit", limit - deleted);
                deleted += expired.ExecuteNonQuery();
            }

            return deleted;
        }, cancellationToken);
    }
}
