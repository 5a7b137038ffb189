using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Retention;
using Workforce.Core.Scheduling;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;
using Workforce.Durable.Runtime;
using Workforce.Orchestrations;
using Workforce.Orchestrations.Durable;
using Workforce.Orchestrations.TaskLifecycle;
using Workforce.Storage.Sqlite;
using Workforce.Testing;
using TaskOptions = Workforce.Core.Tasks.TaskOptions;

namespace Workforce.Durable.Tests;

/// <summary>
/// The standalone server's back end without HTTP: core use cases, the SQLite store and queues, the workflows and
/// the embedded engine with its listener, relay and scheduler, composed as the server composes them, on a fake clock.
/// </summary>
internal sealed class PlatformHost : IAsyncDisposable
{
    public const string TenantId = "acme";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-platform-tests", Guid.NewGuid().ToString("N"));
    private readonly List<IHostedService> _hosted = [];
    private ServiceProvider? _services;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public IServiceProvider Services => _services!;

    public TaskOptions TaskOptions { get; } = new() { Retry = new RetryBackoff { JitterRatio = 0 } };

    /// <summary>No batch window: under the fake clock it would hold every change until a test advanced the time.</summary>
    public LifecycleOptions LifecycleOptions { get; } = new() { IdleRecheck = TimeSpan.FromMinutes(5), EventBatchWindow = TimeSpan.Zero };

    public RetentionOptions Retention { get; } = new();

    public IOrchestrationClient Orchestrations => Services.GetRequiredService<IOrchestrationClient>();

    public static Caller Tenant => Caller.Tenant(TenantId);

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async Task<PlatformHost> StartAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IOptions<SqliteStorageOptions>>(Options.Create(new SqliteStorageOptions { DataDirectory = _dataDirectory }));
        services.AddSingleton(TaskOptions);
        services.AddSingleton(new LeaseOptions());
        services.AddSingleton(new AgentOptions());
        services.AddSingleton(LifecycleOptions);
        services.AddSingleton(Retention);
        services.AddSingleton(new DurableEngineOptions { RetryDelay = TimeSpan.FromMilliseconds(50) });
        services.AddWorkforceCore();
        services.AddSqliteStorage();
        services.AddWorkforceWorkflows();
        services.AddEmbeddedDurableEngine();
        _services = services.BuildServiceProvider();

        await Get<ITenantDirectory>().TryCreateTenantAsync(new Tenant(TenantId, TenantId, Clock.GetUtcNow()), ApiKeys.Hash("key"));
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            _hosted.Add(hosted);
        }

        return this;
    }

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

    public async Task<WorkTask> SubmitAsync(SubmitTaskCommand command)
    {
        var outcome = await Get<SubmitTask>().ExecuteAsync(Tenant, command);
        Assert.True(outcome.Succeeded, outcome.Failure?.Detail);
        return outcome.Value!.Task;
    }

    public async Task<Agent> RegisterAsync() => (await Get<RegisterAgent>().ExecuteAsync(Tenant, new RegisterAgentCommand("agent"))).Value!.Agent;

    public async Task<WorkTask> LeaseAsync(Agent agent) => (await Get<LeaseTask>().ExecuteAsync(Caller.Agent(TenantId, agent.Id), agent.Id)).Value!;

    public Task<WorkTask?> FindAsync(Guid taskId) => Get<Core.Storage.IWorkforceStore>().FindTaskAsync(TenantId, taskId);

    /// <summary>Real-time wait for a condition the background services bring about.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Never: {what}.");
    }

    public Task<OrchestrationMetadata?> LifecycleOf(Guid taskId) =>
        Orchestrations.GetInstanceAsync(TaskLifecycleInstance.Id(TenantId, taskId), getInputsAndOutputs: true);

    /// <summary>Waits until the task's lifecycle workflow has armed a timer for its current state (revision).</summary>
    public Task LifecycleWatching(Guid taskId, int revision) => Eventually(async () =>
        await LifecycleOf(taskId) is { RuntimeStatus: OrchestrationRuntimeStatus.Running, SerializedCustomStatus: { } status }
        && status.Contains($"\"revision\":{revision}", StringComparison.Ordinal), $"the lifecycle of {taskId} watches revision {revision}");

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await StopAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
