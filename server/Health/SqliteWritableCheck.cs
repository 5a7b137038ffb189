using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Health;

/// <summary>
/// The database takes a commit: a connection of its own takes the write lock (<c>BEGIN IMMEDIATE</c>), writes the
/// schema version back unchanged and commits, so the probe fails where writes fail — a full disk, a read-only file
/// or a lock held elsewhere all let reads through. A rolled-back change would prove less: in WAL mode it writes
/// nothing. Going through the group-commit writer would reuse its open handle, which a permission change does not reach.
/// </summary>
internal sealed class SqliteWritableCheck(SqliteDatabase database) : IHealthCheck
{
    /// <summary>How long the probe waits for the write lock; the writer holds it for one commit at a time.</summary>
    internal static readonly TimeSpan LockWait = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = database.Path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = (int)LockWait.TotalSeconds,
        }.ToString();
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // The pragma takes a literal, so the version is read under the write lock and written back unchanged.
            command.CommandText = "BEGIN IMMEDIATE; PRAGMA user_version;";
            var version = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            command.CommandText = $"PRAGMA user_version = {version}; COMMIT;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return HealthCheckResult.Healthy("the database takes writes");
        }
        catch (SqliteException e)
        {
            return HealthCheckResult.Unhealthy($"the database refuses writes: {e.Message}");
        }
    }
}
