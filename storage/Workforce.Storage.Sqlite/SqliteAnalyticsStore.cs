using System.Runtime.CompilerServices;
using Workforce.Core.Analytics;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// <see cref="IAnalyticsStore"/> on SQLite. A batch is one write on the group-commit writer, so analytics share
/// the task writes' commits instead of contending with them for the file's write lock: the batch's id is recorded,
/// each rollup is read, merged and written back, and the samples are inserted, all or nothing.
/// </summary>
public sealed class SqliteAnalyticsStore(SqliteDatabase database) : IAnalyticsStore
{
    private const string RecordBatch =
        "INSERT INTO analytics_batches (tenant_id, id, at) VALUES ($tenant, $id, $at) ON CONFLICT (tenant_id, id) DO NOTHING";

    private const string FindRollup =
        "SELECT body FROM analytics_rollups WHERE tenant_id = $tenant AND resolution = $resolution AND start = $start AND series = $series";

    private const string WriteRollup =
        "INSERT INTO analytics_rollups (tenant_id, resolution, start, series, body) VALUES ($tenant, $resolution, $start, $series, $body) " +
        "ON CONFLICT (tenant_id, resolution, start, series) DO UPDATE SET body = excluded.body";

    private const string InsertSample =
        "INSERT INTO analytics_samples (tenant_id, agent_id, at, cpu_percent, memory_mb, thread_count) VALUES ($tenant, $agent, $at, $cpu, $memory, $threads) " +
        "ON CONFLICT (tenant_id, agent_id, at) DO UPDATE SET cpu_percent = excluded.cpu_percent, memory_mb = excluded.memory_mb, thread_count = excluded.thread_count";

    private const string ReadRollups =
        "SELECT series, start, body FROM analytics_rollups WHERE tenant_id = $tenant AND resolution = $resolution AND start >= $from AND start < $to " +
        "AND substr(series, 1, length($prefix)) = $prefix ORDER BY start";

    private const string ReadSamples =
        "SELECT at, cpu_percent, memory_mb, thread_count FROM analytics_samples WHERE tenant_id = $tenant AND agent_id = $agent AND at >= $from AND at < $to ORDER BY at";

    private const string PurgeRollups =
        "DELETE FROM analytics_rollups WHERE seq IN (SELECT seq FROM analytics_rollups INDEXED BY ix_rollups_age WHERE resolution = $resolution AND start < $before ORDER BY start LIMIT $limit)";

    private const string PurgeSamples =
        "DELETE FROM analytics_samples WHERE (tenant_id, agent_id, at) IN (SELECT tenant_id, agent_id, at FROM analytics_samples WHERE at < $before ORDER BY at LIMIT $limit)";

    private const string PurgeBatches =
        "DELETE FROM analytics_batches WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM analytics_batches WHERE at < $before ORDER BY at LIMIT $limit)";

    public Task ApplyAsync(AnalyticsBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return database.Writer.WriteAsync(commands =>
        {
            var record = commands.Get(RecordBatch);
            record.Parameters.AddWithValue("$tenant", batch.TenantId);
            record.Parameters.AddWithValue("$id", batch.Id);
            record.Parameters.AddWithValue("$at", AgeOf(batch).UtcTicks);
            if (record.ExecuteNonQuery() == 0)
            {
                return false;
            }

            foreach (var rollup in batch.Rollups)
            {
                var find = commands.Get(FindRollup);
                BindKey(find.Parameters, batch.TenantId, rollup);
                // The batch's values are merged into a copy read from the row, never changed: this write may run again.
                var body = find.ExecuteScalar() is string stored ? Merged(stored, rollup.Values) : rollup.Values.ToJson();
                var write = commands.Get(WriteRollup);
                BindKey(write.Parameters, batch.TenantId, rollup);
                write.Parameters.AddWithValue("$body", body);
                write.ExecuteNonQuery();
            }

            foreach (var sample in batch.AgentSamples)
            {
                var insert = commands.Get(InsertSample);
                insert.Parameters.AddWithValue("$tenant", batch.TenantId);
                insert.Parameters.AddWithValue("$agent", sample.AgentId);
                insert.Parameters.AddWithValue("$at", sample.At.UtcTicks);
                insert.Parameters.AddWithValue("$cpu", sample.CpuPercent);
                insert.Parameters.AddWithValue("$memory", sample.MemoryMb);
                insert.Parameters.AddWithValue("$threads", sample.ThreadCount);
                insert.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);
    }

    public async IAsyncEnumerable<AnalyticsRollup> ReadRollupsAsync(
        string tenantId, RollupResolution resolution, string seriesPrefix, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seriesPrefix);
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = ReadRollups;
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$resolution", (int)resolution);
        command.Parameters.AddWithValue("$from", from.UtcTicks);
        command.Parameters.AddWithValue("$to", to.UtcTicks);
        command.Parameters.AddWithValue("$prefix", seriesPrefix);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new AnalyticsRollup(reader.GetString(0), resolution, new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero), RollupValues.FromJson(reader.GetString(2)));
        }
    }

    public async IAsyncEnumerable<AgentSample> ReadAgentSamplesAsync(
        string tenantId, Guid agentId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = ReadSamples;
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$agent", agentId);
        command.Parameters.AddWithValue("$from", from.UtcTicks);
        command.Parameters.AddWithValue("$to", to.UtcTicks);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new AgentSample(agentId, new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero), reader.GetDouble(1), reader.GetDouble(2), reader.GetInt32(3));
        }
    }

    public Task<int> PurgeRollupsAsync(RollupResolution resolution, DateTimeOffset before, int limit, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync(commands =>
        {
            var purge = commands.Get(PurgeRollups);
            purge.Parameters.AddWithValue("$resolution", (int)resolution);
            purge.Parameters.AddWithValue("$before", before.UtcTicks);
            purge.Parameters.AddWithValue("$limit", limit);
            return purge.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>Samples first, then batch records with what is left of the limit, so the total stays within it.</summary>
    public Task<int> PurgeSamplesAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync(commands =>
        {
            var samples = commands.Get(PurgeSamples);
            samples.Parameters.AddWithValue("$before", before.UtcTicks);
            samples.Parameters.AddWithValue("$limit", limit);
            var purged = samples.ExecuteNonQuery();
            if (purged < limit)
            {
                var batches = commands.Get(PurgeBatches);
                batches.Parameters.AddWithValue("$before", before.UtcTicks);
                batches.Parameters.AddWithValue("$limit", limit - purged);
                purged += batches.ExecuteNonQuery();
            }

            return purged;
        }, cancellationToken);

    /// <summary>
    /// How old a batch's record is: the end of the latest period or the time of the latest sample it held. A retry
    /// comes seconds after the first try, well within any cutoff kept past that.
    /// </summary>
    internal static DateTimeOffset AgeOf(AnalyticsBatch batch) =>
        batch.Rollups.Select(r => r.Start + AnalyticsRollup.LengthOf(r.Resolution))
            .Concat(batch.AgentSamples.Select(s => s.At))
            .DefaultIfEmpty(DateTimeOffset.UnixEpoch)
            .Max();

    private static string Merged(string stored, RollupValues values)
    {
        var merged = RollupValues.FromJson(stored);
        merged.Merge(values);
        return merged.ToJson();
    }

    private static void BindKey(Microsoft.Data.Sqlite.SqliteParameterCollection p, string tenantId, AnalyticsRollup rollup)
    {
        p.AddWithValue("$tenant", tenantId);
        p.AddWithValue("$resolution", (int)rollup.Resolution);
        p.AddWithValue("$start", rollup.Start.UtcTicks);
        p.AddWithValue("$series", rollup.Series);
    }
}
