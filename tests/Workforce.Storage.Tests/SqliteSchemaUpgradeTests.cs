using Microsoft.Data.Sqlite;
using Workforce.Core.Analytics;
using Workforce.Core.Forecasting;
using Workforce.Core.Reports;
using Workforce.Core.Tasks;
using Workforce.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Workforce.Storage.Tests;

/// <summary>A database written by an earlier release opens with this one and keeps what it held.</summary>
public sealed class SqliteSchemaUpgradeTests : IDisposable
{
    private const string TenantId = "acme";

    private readonly SqliteStorageOptions _options = new()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "workforce-tests", Guid.NewGuid().ToString("N")),
    };

    [Fact]
    public async Task Rows_written_by_the_first_schema_read_back_after_every_migration()
    {
        var agentId = Guid.CreateVersion7();
        var taskId = Guid.CreateVersion7();
        var written = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        WriteWithFirstSchema(agentId, taskId, written);

        using var database = SqliteDatabase.Open(_options);
        var clock = new FakeTimeProvider(written);
        var store = new SqliteWorkforceStore(database, new SqliteWorkQueues(database, TestQueues.All, clock), new RecordingObserver().Feed(), TestBilling.Metering(), clock);

        var agent = await store.FindAgentAsync(TenantId, agentId);
        var task = await store.FindTaskAsync(TenantId, taskId);
        Assert.Equal(("first-agent", false), (agent?.Name, agent?.Draining));
        Assert.Equal(("first-task", TaskState.Pending, 1, (Guid?)null, written), (task?.Type, task?.State, task?.Revision, task?.RetryOf, task?.CreatedAt));
        Assert.Equal(1, await store.TransactAsync(TenantId, tx => tx.CountPendingTasksAsync()));

        await store.TransactAsync(TenantId, tx =>
        {
            tx.Update(agent!.Drain());
            return ValueTask.FromResult(0);
        });
        Assert.True((await store.FindAgentAsync(TenantId, agentId))?.Draining);

        // The tables added since (analytics, reports, forecasting) are there and work on the upgraded file.
        var values = new RollupValues();
        values.Increment(AnalyticsValues.Completed);
        var analytics = new SqliteAnalyticsStore(database);
        await analytics.ApplyAsync(new AnalyticsBatch(TenantId, "b1", [new AnalyticsRollup(AnalyticsSeries.Tasks, RollupResolution.Minute, written, values)], []));
        Assert.Single(await analytics.ReadRollupsAsync(TenantId, RollupResolution.Minute, "", written, written.AddMinutes(1)).ToListAsync());
        var reports = new SqliteReportStore(database);
        await reports.SaveAsync(new Report { Id = "r1", TenantId = TenantId, Type = ReportType.Health, Format = ReportFormat.Json, From = written, To = written.AddHours(1), CreatedAt = written });
        Assert.NotNull(await reports.FindAsync(TenantId, "r1"));
        var forecasts = new SqliteForecastStore(database);
        await forecasts.SaveAsync(new SeriesModels(TenantId, "submissions", null, [], 1, written));
        Assert.Single(await forecasts.AddAsync([new RecordedAnomaly(TenantId, "submissions", written, 9, 2, 5, written)]));
        Assert.NotNull(await forecasts.FindSeriesAsync(TenantId, "submissions"));
        Assert.Single(await forecasts.ListAnomaliesAsync(TenantId, written, written.AddHours(1), 10));
        Assert.Equal([TenantId], (await new SqliteTenantDirectory(database).ListTenantIdsAsync(new Workforce.Core.Storage.PageRequest(10, null))).Items);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_options.DataDirectory, recursive: true);
    }

    /// <summary>Rows as release 1 wrote them: only the columns its schema (migration 1) had.</summary>
    private void WriteWithFirstSchema(Guid agentId, Guid taskId, DateTimeOffset at)
    {
        Directory.CreateDirectory(_options.DataDirectory);
        using var connection = new SqliteConnection($"Data Source={_options.DatabasePath};Pooling=False");
        connection.Open();
        SchemaMigrator.Apply(connection, Schema.Component, Schema.Migrations[..1]);
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO tenants (id, name, created_at) VALUES ($tenant, 'Acme', $at);
            INSERT INTO agents (id, tenant_id, name, role, capabilities, capacity, status, active_tasks, registered_at)
                VALUES ($agent, $tenant, 'first-agent', 2, '[]', 1, 0, 0, $at);
            INSERT INTO tasks (id, tenant_id, type, priority, state, required_capabilities, attempt, max_retries, timeout_seconds, created_at, updated_at)
                VALUES ($task, $tenant, 'first-task', 1, 0, '[]', 0, 3, 300, $at, $at);
            """;
        insert.Parameters.AddWithValue("$tenant", TenantId);
        insert.Parameters.AddWithValue("$agent", agentId);
        insert.Parameters.AddWithValue("$task", taskId);
        insert.Parameters.AddWithValue("$at", at.UtcTicks);
        insert.ExecuteNonQuery();
    }
}
