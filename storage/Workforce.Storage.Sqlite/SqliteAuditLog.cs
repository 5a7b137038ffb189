using System.Globalization;
using Microsoft.Data.Sqlite;
using Workforce.Core.Audit;
using Workforce.Core.Storage;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// <see cref="IAuditLog"/> on SQLite: one row per entry, kept whole as JSON beside the columns it is listed, filtered
/// and purged by. A page is read backwards through the tenant's time index, ties in id order, so its cursor is the
/// last entry's time and id.
/// </summary>
public sealed class SqliteAuditLog(SqliteDatabase database) : IAuditLog
{
    private const string CursorKind = "audit";

    /// <summary>All in one write, through the group-commit writer; an id the tenant already has is skipped.</summary>
    public Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.Writer.WriteAsync(commands =>
        {
            foreach (var entry in entries)
            {
                var insert = commands.Get(
                    "INSERT INTO audit_log (tenant_id, id, at, actor, action, body) VALUES ($tenant, $id, $at, $actor, $action, $body) " +
                    "ON CONFLICT (tenant_id, id) DO NOTHING");
                insert.Parameters.AddWithValue("$tenant", entry.TenantId);
                insert.Parameters.AddWithValue("$id", entry.Id);
                insert.Parameters.AddWithValue("$at", entry.At.UtcTicks);
                insert.Parameters.AddWithValue("$actor", entry.Actor);
                insert.Parameters.AddWithValue("$action", entry.Action);
                insert.Parameters.AddWithValue("$body", StoredJson.Serialize(entry));
                insert.ExecuteNonQuery();
            }

            return entries.Count;
        }, cancellationToken);
    }

    public Task<Page<AuditEntry>> QueryAsync(AuditQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(page.Limit);
        var after = PositionCursor.Decode(CursorKind, page.Cursor) is { } position ? Parse(position) : ((long At, string Id)?)null;
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        var sql = "SELECT body FROM audit_log INDEXED BY ix_audit_list WHERE tenant_id = $tenant AND at >= $from AND at < $to";
        if (query.Actor is not null)
        {
            sql += " AND actor = $actor";
            command.Parameters.AddWithValue("$actor", query.Actor);
        }

        if (query.Action is not null)
        {
            sql += " AND action = $action";
            command.Parameters.AddWithValue("$action", query.Action);
        }

        if (after is { } last)
        {
            sql += " AND (at < $afterAt OR (at = $afterAt AND id > $afterId))";
            command.Parameters.AddWithValue("$afterAt", last.At);
            command.Parameters.AddWithValue("$afterId", last.Id);
        }

        command.CommandText = sql + " ORDER BY at DESC, id LIMIT $limit";
        command.Parameters.AddWithValue("$tenant", query.TenantId);
        command.Parameters.AddWithValue("$from", query.From.UtcTicks);
        command.Parameters.AddWithValue("$to", query.To.UtcTicks);
        command.Parameters.AddWithValue("$limit", page.Limit + 1);
        var rows = command.ReadAll(row => StoredJson.Deserialize<AuditEntry>(row.GetString(0)));
        if (rows.Count <= page.Limit)
        {
            return Task.FromResult(new Page<AuditEntry>(rows, null));
        }

        var items = rows.Take(page.Limit).ToList();
        var end = items[^1];
        return Task.FromResult(new Page<AuditEntry>(items, PositionCursor.Encode(CursorKind, end.At.UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + end.Id)));
    }

    /// <summary>Oldest first through the age index, across tenants, one short transaction per batch.</summary>
    public Task<int> PurgeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return database.Writer.WriteAsync(commands =>
        {
            var purge = commands.Get(
                "DELETE FROM audit_log WHERE seq IN (SELECT seq FROM audit_log INDEXED BY ix_audit_age WHERE at < $before ORDER BY at LIMIT $limit)");
            purge.Parameters.AddWithValue("$before", before.UtcTicks);
            purge.Parameters.AddWithValue("$limit", limit);
            return purge.ExecuteNonQuery();
        }, cancellationToken);
    }

    private static (long At, string Id) Parse(string position)
    {
        var colon = position.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || !long.TryParse(position.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var at))
        {
            throw new InvalidCursorException("The cursor is not valid.");
        }

        return (at, position[(colon + 1)..]);
    }
}
