using System.Globalization;
using Microsoft.Data.Sqlite;
using Workforce.Core.Reports;
using Workforce.Core.Storage;

namespace Workforce.Storage.Sqlite;

/// <summary><see cref="IReportStore"/> on SQLite: reports and schedules kept whole as JSON (filters and endpoints with them).</summary>
public sealed class SqliteReportStore(SqliteDatabase database) : IReportStore
{
    private const string ListKind = "reports";

    public Task SaveAsync(Report report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return database.Writer.WriteAsync(commands =>
        {
            var save = commands.Get(
                "INSERT INTO reports (tenant_id, id, created_at, body) VALUES ($tenant, $id, $created, $body) " +
                "ON CONFLICT (tenant_id, id) DO UPDATE SET created_at = excluded.created_at, body = excluded.body");
            save.Parameters.AddWithValue("$tenant", report.TenantId);
            save.Parameters.AddWithValue("$id", report.Id);
            save.Parameters.AddWithValue("$created", report.CreatedAt.UtcTicks);
            save.Parameters.AddWithValue("$body", StoredJson.Serialize(report));
            return save.ExecuteNonQuery();
        }, cancellationToken);
    }

    public Task<Report?> FindAsync(string tenantId, string reportId, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM reports WHERE tenant_id = $tenant AND id = $id";
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$id", reportId);
            return command.ExecuteScalar() is string body ? StoredJson.Deserialize<Report>(body) : null;
        });

    /// <summary>Newest first through the list index; the cursor is the creation time and id of the last report shown.</summary>
    public Task<Page<Report>> ListAsync(string tenantId, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var after = DecodePosition(PositionCursor.Decode(ListKind, page.Cursor));
        return Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = after is null
                ? "SELECT body, created_at, id FROM reports INDEXED BY ix_reports_list WHERE tenant_id = $tenant ORDER BY created_at DESC, id LIMIT $limit"
                : "SELECT body, created_at, id FROM reports INDEXED BY ix_reports_list WHERE tenant_id = $tenant " +
                  "AND (created_at < $afterCreated OR (created_at = $afterCreated AND id > $afterId)) ORDER BY created_at DESC, id LIMIT $limit";
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$limit", page.Limit + 1);
            if (after is var (created, id))
            {
                command.Parameters.AddWithValue("$afterCreated", created);
                command.Parameters.AddWithValue("$afterId", id);
            }

            var rows = command.ReadAll(row => (Report: StoredJson.Deserialize<Report>(row.GetString(0)), Created: row.GetInt64(1), Id: row.GetString(2)));
            return rows.Count > page.Limit
                ? new Page<Report>([.. rows.Take(page.Limit).Select(r => r.Report)], PositionCursor.Encode(ListKind, EncodePosition(rows[page.Limit - 1].Created, rows[page.Limit - 1].Id)))
                : new Page<Report>([.. rows.Select(r => r.Report)], null);
        });
    }

    public Task<IReadOnlyList<Report>> PurgeAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync<IReadOnlyList<Report>>(commands =>
        {
            var purge = commands.Get(
                "DELETE FROM reports WHERE seq IN (SELECT seq FROM reports INDEXED BY ix_reports_age WHERE created_at < $before ORDER BY created_at LIMIT $limit) RETURNING body");
            purge.Parameters.AddWithValue("$before", createdBefore.UtcTicks);
            purge.Parameters.AddWithValue("$limit", limit);
            return purge.ReadAll(row => StoredJson.Deserialize<Report>(row.GetString(0)));
        }, cancellationToken);

    public Task SaveAsync(ReportSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return database.Writer.WriteAsync(commands =>
        {
            var save = commands.Get(
                "INSERT INTO report_schedules (tenant_id, id, created_at, next_run_at, body) VALUES ($tenant, $id, $created, $next, $body) " +
                "ON CONFLICT (tenant_id, id) DO UPDATE SET created_at = excluded.created_at, next_run_at = excluded.next_run_at, body = excluded.body");
            save.Parameters.AddWithValue("$tenant", schedule.TenantId);
            save.Parameters.AddWithValue("$id", schedule.Id);
            save.Parameters.AddWithValue("$created", schedule.CreatedAt.UtcTicks);
            save.Parameters.AddWithValue("$next", schedule.NextRunAt.UtcTicks);
            save.Parameters.AddWithValue("$body", StoredJson.Serialize(schedule));
            return save.ExecuteNonQuery();
        }, cancellationToken);
    }

    public Task<ReportSchedule?> FindScheduleAsync(string tenantId, string scheduleId, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM report_schedules WHERE tenant_id = $tenant AND id = $id";
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$id", scheduleId);
            return command.ExecuteScalar() is string body ? StoredJson.Deserialize<ReportSchedule>(body) : null;
        });

    public Task<IReadOnlyList<ReportSchedule>> ListSchedulesAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<ReportSchedule>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM report_schedules WHERE tenant_id = $tenant ORDER BY created_at, id";
            command.Parameters.AddWithValue("$tenant", tenantId);
            return command.ReadAll(row => StoredJson.Deserialize<ReportSchedule>(row.GetString(0)));
        });

    public Task<bool> RemoveScheduleAsync(string tenantId, string scheduleId, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync(commands =>
        {
            var remove = commands.Get("DELETE FROM report_schedules WHERE tenant_id = $tenant AND id = $id");
            remove.Parameters.AddWithValue("$tenant", tenantId);
            remove.Parameters.AddWithValue("$id", scheduleId);
            return remove.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<ReportSchedule>> FindDueSchedulesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<ReportSchedule>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT body FROM report_schedules INDEXED BY ix_report_schedules_due WHERE next_run_at <= $now ORDER BY next_run_at, tenant_id, id LIMIT $limit";
            command.Parameters.AddWithValue("$now", now.UtcTicks);
            command.Parameters.AddWithValue("$limit", limit);
            return command.ReadAll(row => StoredJson.Deserialize<ReportSchedule>(row.GetString(0)));
        });

    private static string EncodePosition(long createdTicks, string id) => createdTicks.ToString(CultureInfo.InvariantCulture) + "_" + id;

    private static (long CreatedTicks, string Id)? DecodePosition(string? position)
    {
        if (position is null)
        {
            return null;
        }

        var split = position.IndexOf('_', StringComparison.Ordinal);
        return split > 0 && long.TryParse(position.AsSpan(0, split), NumberStyles.None, CultureInfo.InvariantCulture, out var created)
            ? (created, position[(split + 1)..])
            : throw new InvalidCursorException("The cursor is not valid.");
    }

    private Task<T> Read<T>(Func<SqliteConnection, T> query)
    {
        using var connection = database.OpenReader();
        return Task.FromResult(query(connection));
    }
}
