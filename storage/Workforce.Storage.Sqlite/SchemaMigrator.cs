using Microsoft.Data.Sqlite;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// Applies numbered migrations per component: several components (the platform's store, the durable engine) keep
/// their tables in one file, each with its own version in <c>schema_versions</c>. The caller owns the transaction,
/// so a component's migrations commit together with whatever else the caller does.
/// </summary>
public static class SchemaMigrator
{
    public static void Apply(SqliteConnection connection, string component, IReadOnlyList<string> migrations)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(migrations);
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT version FROM schema_versions WHERE component = $component";
        read.Parameters.AddWithValue("$component", component);
        var applied = read.ExecuteScalar() is long version ? (int)version : 0;
        if (applied > migrations.Count)
        {
            throw new InvalidOperationException($"The database has {component} schema version {applied}, newer than this build knows ({migrations.Count}).");
        }

        for (var next = applied; next < migrations.Count; next++)
        {
            Execute(connection, migrations[next]);
        }

        using var write = connection.CreateCommand();
        write.CommandText = "INSERT INTO schema_versions (component, version) VALUES ($component, $version) ON CONFLICT (component) DO UPDATE SET version = $version";
        write.Parameters.AddWithValue("$component", component);
        write.Parameters.AddWithValue("$version", migrations.Count);
        write.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
