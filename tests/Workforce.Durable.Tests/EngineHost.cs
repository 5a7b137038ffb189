using Microsoft.Data.Sqlite;
using Workforce.Durable.Runtime;
using Workforce.Orchestrations.Durable;
using Workforce.Storage.Sqlite;
using Workforce.Testing;

namespace Workforce.Durable.Tests;

/// <summary>
/// An embedded engine on its own SQLite file with a fake clock, which a test can stop and start again on the same
/// file to see what survives a restart.
/// </summary>
internal sealed class EngineHost : IAsyncDisposable
{
    private readonly SqliteStorageOptions _storage = new()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "workforce-durable-tests", Guid.NewGuid().ToString("N")),
    };

    private readonly IOrchestrator[] _orchestrators;
    private readonly IActivity[] _activities;
    private readonly DurableEngineOptions _options;
    private SqliteDatabase? _database;

    public EngineHost(IOrchestrator[] orchestrators, IActivity[] activities, DurableEngineOptions? options = null)
    {
        _orchestrators = orchestrators;
        _activities = activities;
        _options = options ?? new DurableEngineOptions { MaxConcurrentOrchestrations = 4, MaxConcurrentActivities = 8, RetryDelay = TimeSpan.FromMilliseconds(50) };
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public DurableEngine Engine { get; private set; } = null!;

    public RecordingLogger<DurableEngine> Log { get; } = new();

    public SqliteDatabase Database => _database!;

    public async Task<EngineHost> StartAsync()
    {
        _database = SqliteDatabase.Open(_storage);
        Engine = new DurableEngine(_database, _orchestrators, () => _activities, _options, Clock, Log);
        await Engine.StartAsync(CancellationToken.None);
        return this;
    }

    /// <summary>Stops the engine and closes the file, as a shutdown (or, for what is committed, a crash) would.</summary>
    public async Task StopAsync()
    {
        await Engine.DisposeAsync();
        _database!.Dispose();
        _database = null;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>
    /// Closes the file under the running engine, so nothing more commits, then stops it: what a kill would leave.
    /// </summary>
    public async Task CrashAsync()
    {
        _database!.Dispose();
        _database = null;
        await Engine.DisposeAsync();
    }

    public long HistoryLength(string instanceId) => Count("durable_history", instanceId, "1 = 1");

    /// <summary>Durable timers of the instance that have not fired yet.</summary>
    public long PendingTimers(string instanceId) => Count("durable_inbox", instanceId, "event LIKE '{\"$type\":\"timerFired\"%'");

    /// <summary>Activity work items of the instance whose outcome no episode has committed yet.</summary>
    public long PendingActivities(string instanceId) => Count("durable_activities", instanceId, "1 = 1");

    private long Count(string table, string instanceId, string condition)
    {
        using var connection = Database.OpenReader();
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM {table} WHERE instance_id = $id AND {condition}";
        count.Parameters.AddWithValue("$id", instanceId);
        return (long)count.ExecuteScalar()!;
    }

    /// <summary>Waits, in real time, for an instance to finish; fails the test rather than hanging.</summary>
    public async Task<OrchestrationMetadata> WaitAsync(string instanceId)
    {
        try
        {
            return await Engine.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{instanceId} did not finish. Engine log: {string.Join(" | ", Log.Entries)}");
        }
    }

    /// <summary>Waits until the instance has reached a point where it waits for time or an event: its status is running and nothing is in flight.</summary>
    public async Task<OrchestrationMetadata> WaitUntilAsync(string instanceId, Func<OrchestrationMetadata, bool> condition)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await Engine.GetInstanceAsync(instanceId, getInputsAndOutputs: true) is { } metadata && condition(metadata))
            {
                return metadata;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"{instanceId} never reached the expected state.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await StopAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_storage.DataDirectory, recursive: true);
    }
}
