using Microsoft.Data.Sqlite;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Workforce.Durable;
using Workforce.Durable.Runtime;
using Workforce.Storage.Sqlite;

namespace Workforce.Testing.Durable;

/// <summary>
/// The standalone server's engine on a SQLite file of its own and a fake clock. It can be stopped and started again
/// on the same file, or crashed (the file closed under it), to see what survives.
/// </summary>
public sealed class EmbeddedWorkflowEngine : WorkflowEngine
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-engine-tests", Guid.NewGuid().ToString("N"));
    private readonly Action<DurableTaskRegistry> _tasks;
    private readonly Action<IServiceCollection, TimeProvider>? _configure;
    private readonly List<IHostedService> _hosted = [];
    private ServiceProvider? _services;

    private EmbeddedWorkflowEngine(Action<DurableTaskRegistry> tasks, Action<IServiceCollection, TimeProvider>? configure)
    {
        _tasks = tasks;
        _configure = configure;
    }

    public override EngineKind Kind => EngineKind.Embedded;

    public FakeTimeProvider FakeClock { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public override TimeProvider Clock => FakeClock;

    public override DurableTaskClient Client => Get<DurableTaskClient>();

    public override IServiceProvider Services => _services ?? throw new InvalidOperationException("The engine is not running.");

    /// <summary>Warnings and errors the engine and the services logged, for failure messages.</summary>
    public RecordingLoggerProvider Log { get; } = new();

    public SqliteDatabase Database => Get<SqliteDatabase>();

    internal static async Task<WorkflowEngine> StartNewAsync(Action<DurableTaskRegistry> tasks, Action<IServiceCollection, TimeProvider>? configure) =>
        await new EmbeddedWorkflowEngine(tasks, configure).StartAsync();

    public async Task<EmbeddedWorkflowEngine> StartAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Log));
        services.AddSingleton<TimeProvider>(FakeClock);
        services.AddSingleton(new DurableEngineOptions { MaxConcurrentOrchestrations = 4, MaxConcurrentActivities = 8, RetryDelay = TimeSpan.FromMilliseconds(50) });
        _configure?.Invoke(services, FakeClock);
        // The engine keeps its state in the services' SQLite file where they have one, else in a file of its own.
        services.TryAddSingleton<IOptions<SqliteStorageOptions>>(Options.Create(new SqliteStorageOptions { DataDirectory = _dataDirectory }));
        services.TryAddSingleton(sp => SqliteDatabase.Open(sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value));
        services.AddEmbeddedDurableEngine(_tasks);
        _services = services.BuildServiceProvider();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            _hosted.Add(hosted);
        }

        return this;
    }

    public override Task PassAsync(TimeSpan time)
    {
        FakeClock.Advance(time);
        return Task.CompletedTask;
    }

    protected override Task TickAsync(TimeSpan step) => PassAsync(step);

    /// <summary>Stops the engine and its services and closes the file, as a shutdown would.</summary>
    public async Task StopAsync()
    {
        foreach (var hosted in Enumerable.Reverse(_hosted))
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        _hosted.Clear();
        await _services!.DisposeAsync();
        _services = null;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>Closes the file under the running engine, so nothing more commits, then stops it: what a kill leaves.</summary>
    public async Task CrashAsync()
    {
        Database.Dispose();
        await StopAsync();
    }

    public long HistoryLength(string instanceId) => Count("durable_history", instanceId, "1 = 1");

    /// <summary>Durable timers of the instance that have not fired yet.</summary>
    public long PendingTimers(string instanceId) => Count("durable_inbox", instanceId, "event LIKE '{\"$type\":\"timerFired\"%'");

    /// <summary>Activity work items of the instance whose outcome no episode has committed yet.</summary>
    public long PendingActivities(string instanceId) => Count("durable_activities", instanceId, "1 = 1");

    public override async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await StopAsync();
        }

        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private long Count(string table, string instanceId, string condition)
    {
        using var connection = Database.OpenReader();
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM {table} WHERE instance_id = $id AND {condition}";
        count.Parameters.AddWithValue("$id", instanceId);
        return (long)count.ExecuteScalar()!;
    }
}
