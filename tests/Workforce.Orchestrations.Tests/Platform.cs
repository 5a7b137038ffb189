using Microsoft.Data.Sqlite;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Analytics;
using Workforce.Core.Billing;
using Workforce.Core.Notifications;
using Workforce.Core.Plans;
using Workforce.Core.Retention;
using Workforce.Core.Scheduling;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;
using Workforce.Durable;
using Workforce.Durable.Timers;
using Workforce.Orchestrations.TaskLifecycle;
using Workforce.Storage.Sqlite;
using Workforce.Testing.Durable;
using TaskOptions = Workforce.Core.Tasks.TaskOptions;

namespace Workforce.Orchestrations.Tests;

/// <summary>
/// The standalone server's back end without HTTP — core use cases, the SQLite store and queues, the workflows with
/// the queue listener and the change relay — composed as the server composes it, on either engine. Time limits are
/// seconds, since Durable Task's engine lets time pass only in real time; periodic jobs are started by the tests.
/// </summary>
internal sealed class Platform : IAsyncDisposable
{
    public const string TenantId = "acme";

    private readonly string _dataDirectory;

    private Platform(WorkflowEngine engine, string dataDirectory)
    {
        Engine = engine;
        _dataDirectory = dataDirectory;
    }

    public WorkflowEngine Engine { get; }

    public TimeProvider Clock => Engine.Clock;

    public static TaskOptions TaskOptions { get; } = new() { AssignmentTimeout = TimeSpan.FromSeconds(2), Retry = new RetryBackoff { JitterRatio = 0 } };

    /// <summary>No batch window: under the fake clock it would hold every change until a test advanced the time.</summary>
    public static LifecycleOptions LifecycleOptions { get; } = new() { IdleRecheck = TimeSpan.FromSeconds(2), EventBatchWindow = TimeSpan.Zero };

    public static RetentionOptions Retention { get; } = new() { FinishedTasks = TimeSpan.FromSeconds(2), FinishedOrchestrations = TimeSpan.FromSeconds(2) };

    public static AgentOptions AgentOptions { get; } = new() { HeartbeatTimeout = TimeSpan.FromSeconds(2) };

    public static Caller Tenant => Caller.Tenant(TenantId);

    public DurableTaskClient Orchestrations => Engine.Client;

    public static async Task<Platform> StartAsync(EngineKind kind, Action<IServiceCollection>? configure = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-platform-tests", Guid.NewGuid().ToString("N"));
        var engine = await WorkflowEngine.StartAsync(kind, tasks => tasks.AddWorkforceWorkflows(), (services, clock) =>
        {
            services.AddSingleton<IOptions<SqliteStorageOptions>>(Options.Create(new SqliteStorageOptions { DataDirectory = dataDirectory }));
            services.AddSingleton(TaskOptions);
            services.AddSingleton(new LeaseOptions());
            services.AddSingleton(AgentOptions);
            services.AddSingleton(LifecycleOptions);
            services.AddSingleton(Retention);
            services.AddSingleton(new BillingOptions());
            services.AddSingleton(new DunningOptions());
            services.AddSingleton(new NotificationOptions());
            services.AddSingleton(new AnalyticsOptions());
            services.AddSingleton(new Core.Reports.ReportOptions());
            services.AddWorkforceCore();
            services.AddSqliteStorage();
            services.AddWorkforceWorkflows();
            services.AddWorkflowDrivers();
            services.Remove(services.Single(s => s.ImplementationType == typeof(JobScheduler)));
            configure?.Invoke(services);
        });
        var platform = new Platform(engine, dataDirectory);
        await platform.Get<ITenantDirectory>().TryCreateTenantAsync(new Tenant(TenantId, TenantId, engine.Clock.GetUtcNow()), ApiKeys.Hash("key"));
        return platform;
    }

    public T Get<T>()
        where T : notnull => Engine.Get<T>();

    public async Task<WorkTask> SubmitAsync(SubmitTaskCommand command)
    {
        var outcome = await Get<SubmitTask>().ExecuteAsync(Tenant, command);
        Assert.True(outcome.Succeeded, outcome.Failure?.Detail);
        return outcome.Value!.Task;
    }

    public async Task<Agent> RegisterAsync() => (await Get<RegisterAgent>().ExecuteAsync(Tenant, new RegisterAgentCommand("agent"))).Value!.Agent;

    public async Task<WorkTask> LeaseAsync(Agent agent) => (await Get<LeaseTask>().ExecuteAsync(Caller.Agent(TenantId, agent.Id), agent.Id)).Value!;

    public Task<WorkTask?> FindAsync(Guid taskId) => Get<IWorkforceStore>().FindTaskAsync(TenantId, taskId);

    public Task<OrchestrationMetadata?> LifecycleOf(Guid taskId) =>
        Orchestrations.GetInstanceAsync(TaskLifecycleInstance.Id(TenantId, taskId), getInputsAndOutputs: true);

    public Task<OrchestrationMetadata> LifecycleEndAsync(Guid taskId) => Engine.RunToCompletionAsync(TaskLifecycleInstance.Id(TenantId, taskId), TimeSpan.FromSeconds(1));

    /// <summary>Waits until the task's lifecycle workflow has armed a timer for its current state (revision).</summary>
    public Task LifecycleWatching(Guid taskId, int revision) => WorkflowEngine.EventuallyAsync(async () =>
        await LifecycleOf(taskId) is { RuntimeStatus: OrchestrationRuntimeStatus.Running, SerializedCustomStatus: { } status }
        && status.Contains($"\"revision\":{revision}", StringComparison.Ordinal), $"the lifecycle of {taskId} watches revision {revision}");

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
