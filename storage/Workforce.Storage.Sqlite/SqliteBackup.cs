using Microsoft.Data.Sqlite;

namespace Workforce.Storage.Sqlite;

/// <summary>Copies of the database taken while it serves, and the check a copy passes before it is restored.</summary>
public static class SqliteBackup
{
    /// <summary>
    /// Writes a consistent copy of the database as of one commit to <paramref name="path"/>, which must not exist,
    /// and flushes it to disk. VACUUM INTO runs on a read connection: in WAL mode its read transaction is a snapshot,
    /// so the group-commit writer goes on committing beside it and no write waits for the copy.
    /// </summary>
    public static void Snapshot(SqliteDatabase database, string path)
    {
        ArgumentNullException.ThrowIfNull(database);
        using (var connection = database.OpenReader())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "VACUUM INTO $path;";
            command.Parameters.AddWithValue("$path", path);
            // The copy takes as long as the file is large; the default 30 s would cut a large database's backup short.
            command.CommandTimeout = 0;
            command.ExecuteNonQuery();
        }

        // VACUUM INTO does not sync what it wrote; a backup that a power cut can take away is no backup.
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Why the file at <paramref name="path"/> is not a sound Workforce database (PRAGMA integrity_check and the
    /// schema table), or null when it is. Opens the file read-only and leaves nothing behind.
    /// </summary>
    public static string? Check(string path)
    {
        if (!File.Exists(path))
        {
            return $"{path} does not exist.";
        }

        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        try
        {
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            var problems = new List<string>();
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check;";
                check.CommandTimeout = 0;
                using var reader = check.ExecuteReader();
                while (reader.Read())
                {
                    problems.Add(reader.GetString(0));
                }
            }

            if (problems is not ["ok"])
            {
                return $"{path} fails PRAGMA integrity_check: {string.Join("; ", problems.Take(10))}";
            }

            using var schema = connection.CreateCommand();
            schema.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions';";
            return Convert.ToInt64(schema.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1
                ? null
                : $"{path} is an SQLite database but not a Workforce one (it has no schema_versions table).";
        }
        catch (SqliteException e)
        {
            return $"{path} cannot be read as an SQLite database: {e.Message}";
        }
    }
}
