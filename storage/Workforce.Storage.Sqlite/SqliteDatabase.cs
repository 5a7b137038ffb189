using Microsoft.Data.Sqlite;
using Workforce.Core.Storage;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// The database file: migrated on open, written only through its <see cref="GroupCommitWriter"/>, read through
/// pooled connections that see the last committed state (WAL lets readers run beside the writer).
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _readConnectionString;

    private SqliteDatabase(SqliteStorageOptions options)
    {
        Path = options.DatabasePath;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var builder = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true };
        _readConnectionString = builder.ToString();

        var writeConnection = new SqliteConnection(builder.ToString());
        writeConnection.Open();
        Execute(writeConnection, "PRAGMA journal_mode = WAL;");
        Execute(writeConnection, $"PRAGMA synchronous = {options.Durability.ToString().ToUpperInvariant()};");
        Execute(writeConnection, "PRAGMA temp_store = MEMORY;");
        Execute(writeConnection, "PRAGMA cache_size = -65536;");
        Execute(writeConnection, "BEGIN IMMEDIATE;");
        SchemaMigrator.Apply(writeConnection, Schema.Component, Schema.Migrations);
        // One process owns the file and it is starting, so whoever holds a work-queue lock is gone (a kill -9):
        // without this, what it had received would wait out the rest of its lock, up to 30 s, before anyone could
        // take it again, and a task's lifecycle workflow would start that much late.
        Execute(writeConnection, QueueSql.ReleaseEveryLock);
        Execute(writeConnection, "COMMIT;");
        Writer = new GroupCommitWriter(writeConnection, options.MaxWritesPerCommit, options.CoalescingWindow);
    }

    public string Path { get; }

    /// <summary>The only way to write to the file; components that share the file (the durable engine) write through it too.</summary>
    public GroupCommitWriter Writer { get; }

    internal MessageSignal Messages { get; } = new();

    /// <exception cref="StorageUnavailableException">The file cannot be created, opened or migrated.</exception>
    public static SqliteDatabase Open(SqliteStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return new SqliteDatabase(options);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"Cannot open the SQLite database at {options.DatabasePath}: {e.Message}", e);
        }
    }

    /// <summary>A pooled read-only view of the last commit.</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    public void Dispose() => Writer.Dispose();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
