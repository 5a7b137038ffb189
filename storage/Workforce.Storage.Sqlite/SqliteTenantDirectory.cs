using Workforce.Core;
using Workforce.Core.Storage;
using Workforce.Core.Tenants;

namespace Workforce.Storage.Sqlite;

public sealed class SqliteTenantDirectory(SqliteDatabase database) : ITenantDirectory
{
    public Task<Caller?> FindCallerAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = Sql.FindKey;
        command.Parameters.AddWithValue("$hash", keyHash);
        return Task.FromResult(command.ReadOne(row => new Caller(row.GetString(0), row.IsDBNull(1) ? null : row.GetGuid(1))));
    }

    public Task<Tenant?> FindTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = Sql.FindTenant;
        command.Parameters.AddWithValue("$id", tenantId);
        return Task.FromResult(command.ReadOne(row => new Tenant(row.GetString(0), row.GetString(1), new DateTimeOffset(row.GetInt64(2), TimeSpan.Zero))));
    }

    public Task<bool> TryCreateTenantAsync(Tenant tenant, string keyHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return database.Writer.WriteAsync(commands =>
        {
            var insert = commands.Get(Sql.InsertTenant);
            insert.Parameters.AddWithValue("$id", tenant.Id);
            insert.Parameters.AddWithValue("$name", tenant.Name);
            insert.Parameters.AddWithValue("$created", tenant.CreatedAt.UtcTicks);
            if (insert.ExecuteNonQuery() == 0)
            {
                return false;
            }

            InsertKey(commands, tenant.Id, keyHash, tenant.CreatedAt);
            return true;
        }, cancellationToken);
    }

    public Task AddTenantKeyAsync(string tenantId, string keyHash, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync(commands => InsertKey(commands, tenantId, keyHash, DateTimeOffset.UtcNow), cancellationToken);

    /// <summary>In id order through the primary key; the cursor is the last id shown.</summary>
    public Task<Page<string>> ListTenantIdsAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var after = PositionCursor.Decode("tenants", page.Cursor) ?? "";
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM tenants WHERE id > $after ORDER BY id LIMIT $limit";
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", page.Limit + 1);
        var ids = command.ReadAll(row => row.GetString(0));
        return Task.FromResult(ids.Count > page.Limit
            ? new Page<string>(ids[..page.Limit], PositionCursor.Encode("tenants", ids[page.Limit - 1]))
            : new Page<string>(ids, null));
    }

    private static int InsertKey(CommandCache commands, string tenantId, string keyHash, DateTimeOffset createdAt)
    {
        var insert = commands.Get(Sql.InsertKey);
        insert.Parameters.AddWithValue("$hash", keyHash);
        insert.Parameters.AddWithValue("$tenant", tenantId);
        insert.Parameters.AddWithValue("$agent", DBNull.Value);
        insert.Parameters.AddWithValue("$created", createdAt.UtcTicks);
        return insert.ExecuteNonQuery();
    }
}
