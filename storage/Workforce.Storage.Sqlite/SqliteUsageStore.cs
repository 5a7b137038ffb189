using System.Runtime.CompilerServices;
using Workforce.Core.Usage;

namespace Workforce.Storage.Sqlite;

/// <summary><see cref="IUsageStore"/> on the SQLite file: a record is a row keyed by tenant and id, inserted once.</summary>
public sealed class SqliteUsageStore(SqliteDatabase database) : IUsageStore
{
    private const string Insert =
        "INSERT OR IGNORE INTO usage_records (tenant_id, id, meter, quantity, occurred_at) VALUES ($tenant, $id, $meter, $quantity, $occurred)";

    private const string Period =
        "SELECT id, meter, quantity, occurred_at FROM usage_records WHERE tenant_id = $tenant AND occurred_at >= $from AND occurred_at < $to " +
        "ORDER BY occurred_at, id";

    public Task RecordAsync(UsageRecord record, CancellationToken cancellationToken = default)
    {
        UsageRecords.Check(record);
        return database.Writer.WriteAsync(commands =>
        {
            var insert = commands.Get(Insert);
            insert.Parameters.AddWithValue("$tenant", record.TenantId);
            insert.Parameters.AddWithValue("$id", record.Id);
            insert.Parameters.AddWithValue("$meter", record.Meter);
            insert.Parameters.AddWithValue("$quantity", record.Quantity);
            insert.Parameters.AddWithValue("$occurred", record.OccurredAt.UtcTicks);
            return insert.ExecuteNonQuery();
        }, cancellationToken);
    }

    public async IAsyncEnumerable<UsageRecord> QueryAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = Period;
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$from", from.UtcTicks);
        command.Parameters.AddWithValue("$to", to.UtcTicks);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new UsageRecord(tenantId, reader.GetString(0), reader.GetString(1), reader.GetDouble(2), new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero));
        }
    }
}
