using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Health;

/// <summary>
/// The database file takes a write: a connection of its own takes the write lock (<c>BEGIN IMMEDIATE</c>), changes
/// the header and rolls back. Reading proves little — a full disk, a read-only file or a lock held elsewhere let
/// reads through and refuse every write — and going through the group-commit writer would reuse its open handle,
/// which a permission change does not reach.
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
            // The pragma takes a literal, so the version is read first and written back unchanged, then rolled back.
            command.CommandText = "PRAGMA user_version;";
            var version = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            command.CommandText = $"BEGIN IMMEDIATE; PRAGMA user_version = {version}; ROLLBACK;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return HealthCheckResult.Healthy("the database takes writes");
        }
        catch (SqliteException e)
        {
            return HealthCheckResult.Unhealthy($"the database refuses writes: {e.Message}");
        }
    }
}
