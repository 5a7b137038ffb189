using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Workforce.Core.Agents;
using Workforce.Core.Analytics;
using Workforce.Core.Notifications;
using Workforce.Core.Plans;
using Workforce.Core.Scheduling;
using Workforce.Core.Tasks;
using Workforce.Core.Usage;

namespace Workforce.Core.Tests;

/// <summary>The core's use cases over an in-memory store and a fake clock, with shortcuts for the usual steps.</summary>
internal sealed class Platform
{
    public const string TenantId = "acme";

    public Platform(TaskOptions? taskOptions = null, BillingOptions? billing = null)
    {
        Billing = billing ?? new BillingOptions();
        TaskOptions = taskOptions ?? new TaskOptions { Retry = new RetryBackoff { JitterRatio = 0 } };
        Plans = new PlanCatalogue(Billing);
        Store = new InMemoryWorkforceStore(new TaskChangeFeed(() => [Availability, Transitions, Analytics], NullLogger<TaskChangeFeed>.Instance), new UsageMetering(Billing, Plans), Clock);
        Submit = new SubmitTask(Store, TaskOptions, Plans, new NotificationOptions(), Clock, NullLogger<SubmitTask>.Instance);
        Move = new MoveTask(Store, TaskOptions, new NotificationInterest(Store, Clock), Clock, NullLogger<MoveTask>.Instance);
        Update = new UpdateTask(Store, Plans, new NotificationInterest(Store, Clock), Clock, NullLogger<UpdateTask>.Instance);
        Lease = new LeaseTask(Store, Availability, LeaseOptions, Plans, Clock);
        AgentChanges = new AgentChangeFeed([ChangedAgents], NullLogger<AgentChangeFeed>.Instance);
        Register = new RegisterAgent(Store, AgentChanges, Clock);
        Heartbeat = new RecordHeartbeat(Store, AgentChanges, Analytics, Clock);
        Remove = new RemoveAgent(Store, AgentChanges, Clock, NullLogger<RemoveAgent>.Instance);
        Drain = new DrainAgent(Store, AgentChanges, NullLogger<DrainAgent>.Instance);
        Retry = new RetryTask(Store, Submit, Clock);
        EnforceTimeouts = new EnforceTaskTimeouts(Store, TaskOptions, Clock, NullLogger<EnforceTaskTimeouts>.Instance);
        TakeOffline = new TakeSilentAgentsOffline(Store, AgentChanges, AgentOptions, Clock, NullLogger<TakeSilentAgentsOffline>.Instance);
    }

    public static Caller Tenant { get; } = Caller.Tenant(TenantId);

    public FakeTimeProvider Clock { get; } = new();

    /// <summary>Counts what the use cases do, as a node's recorder does; flush it into <see cref="AnalyticsStore"/> with <see cref="FlushAnalyticsAsync"/>.</summary>
    public AnalyticsRecorder Analytics { get; } = new(new AnalyticsOptions());

    public InMemoryAnalyticsStore AnalyticsStore { get; } = new();

    public BillingOptions Billing { get; }

    public PlanCatalogue Plans { get; }

    public InMemoryWorkforceStore Store { get; }

    /// <summary>Every transition the store published, in order.</summary>
    public RecordingObserver Transitions { get; } = new();

    /// <summary>Every agent change the use cases published, in order.</summary>
    public RecordingAgentObserver ChangedAgents { get; } = new();

    public AgentChangeFeed AgentChanges { get; }

    public AgentOptions AgentOptions { get; } = new();

    public EnforceTaskTimeouts EnforceTimeouts { get; }

    public TakeSilentAgentsOffline TakeOffline { get; }

    public TaskAvailability Availability { get; } = new();

    public TaskOptions TaskOptions { get; }

    public LeaseOptions LeaseOptions { get; } = new() { RecheckInterval = TimeSpan.FromSeconds(1) };

    public SubmitTask Submit { get; }

    public MoveTask Move { get; }

    public UpdateTask Update { get; }

    public LeaseTask Lease { get; }

    public RegisterAgent Register { get; }

    public RecordHeartbeat Heartbeat { get; }

    public RemoveAgent Remove { get; }

    public DrainAgent Drain { get; }

    public RetryTask Retry { get; }

    /// <summary>Writes what <see cref="Analytics"/> counted, as a node's flush loop does.</summary>
    public Task FlushAnalyticsAsync() =>
        new FlushAnalytics(Analytics, AnalyticsStore, new FixedSystemMetrics(Clock), NullLogger<FlushAnalytics>.Instance).ExecuteAsync();

    public async Task<WorkTask> SubmitAsync(string type = "work", TaskPriority priority = TaskPriority.Medium, string[]? capabilities = null, int maxRetries = 3)
    {
        var outcome = await Submit.ExecuteAsync(Tenant, new SubmitTaskCommand(type, priority, RequiredCapabilities: capabilities, MaxRetries: maxRetries));
        Assert.True(outcome.Succeeded, outcome.Failure?.Detail);
        return outcome.Value!.Task;
    }

    public async Task<Agent> RegisterAsync(string[]? capabilities = null, int capacity = 1)
    {
        var outcome = await Register.ExecuteAsync(Tenant, new RegisterAgentCommand("agent", capabilities, capacity));
        Assert.True(outcome.Succeeded, outcome.Failure?.Detail);
        return outcome.Value!.Agent;
    }

    public async Task<WorkTask?> LeaseAsync(Agent agent, int waitSeconds = 0)
    {
        var outcome = await Lease.ExecuteAsync(Caller.Agent(TenantId, agent.Id), agent.Id, waitSeconds);
        Assert.True(outcome.Succeeded, outcome.Failure?.Detail);
        return outcome.Value;
    }

    public sealed class RecordingObserver : ITaskObserver
    {
        public List<TaskTransition> All { get; } = [];

        public void OnCommitted(IReadOnlyList<TaskTransition> transitions) => All.AddRange(transitions);
    }

    public sealed class RecordingAgentObserver : IAgentObserver
    {
        public List<AgentChange> All { get; } = [];

        public void OnChanged(AgentChange change) => All.Add(change);
    }

    public static Caller AgentCaller(Agent agent) => Caller.Agent(TenantId, agent.Id);
}
