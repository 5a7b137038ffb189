using Workforce.Core.Storage;
using Workforce.Core.Tenants;
using Workforce.Storage.Sqlite;

namespace Workforce.Storage.Tests;

public sealed class SqliteBackend : IStorageBackend
{
    private readonly SqliteStorageOptions _options = new()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "workforce-tests", Guid.NewGuid().ToString("N")),
    };

    private SqliteDatabase _database;

    public SqliteBackend()
    {
        _database = SqliteDatabase.Open(_options);
        Open();
    }

    public IWorkforceStore Store { get; private set; } = null!;

    public ITenantDirectory Directory { get; private set; } = null!;

    public Task ReopenAsync()
    {
        _database.Dispose();
        _database = SqliteDatabase.Open(_options);
        Open();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_options.DataDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private void Open()
    {
        Store = new SqliteWorkforceStore(_database);
        Directory = new SqliteTenantDirectory(_database);
    }
}
