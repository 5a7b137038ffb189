using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Scheduling;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;

namespace Workforce.Storage.Tests;

/// <summary>
/// What a lease of several tasks must do on every store: one transaction that takes up to N pending tasks in lease
/// order, only those the agent can serve, no more than its free slots, and never the same task twice however many
/// agents lease at once.
/// </summary>
public abstract class BatchLeaseContract : IAsyncLifetime
{
    private const string Tenant = "tenant-batch";
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private long _clockTicks;

    private IStorageBackend Backend { get; set; } = null!;

    private IWorkforceStore Store => Backend.Store;

    private LeaseTasks Leases => new(Store, new TaskAvailability(), new LeaseOptions(), TestBilling.Plans(), TimeProvider.System);

    public async ValueTask InitializeAsync()
    {
        Backend = await CreateBackendAsync();
        await Backend.Directory.TryCreateTenantAsync(new Tenant(Tenant, "Batch", Now), ApiKeys.Hash("key-batch"));
    }

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    [Fact]
    public async Task A_batch_lease_takes_the_servable_tasks_in_priority_then_submission_order_up_to_max()
    {
        var low = NewTask(TaskPriority.Low);
        var first = NewTask(TaskPriority.Medium);
        var gpu = NewTask(TaskPriority.Critical, "gpu");
        var second = NewTask(TaskPriority.Medium, "nlp");
        var high = NewTask(TaskPriority.High);
        await Write(tx => { foreach (var t in new[] { low, first, gpu, second, high }) { tx.Add(t); } });
        var agent = NewAgent(capacity: 10, "nlp");
        await Write(tx => tx.Add(agent, "hash-" + agent.Id));

        var leased = await Leases.ExecuteAsync(Caller.Tenant(Tenant), agent.Id, max: 3, start: true);

        Assert.Equal([high.Id, first.Id, second.Id], leased.Value!.Select(t => t.Id));
        Assert.All(leased.Value!, t => Assert.Equal((TaskState.Running, agent.Id), (t.State, t.AssignedAgentId!.Value)));
        Assert.Equal(3, (await Store.FindAgentAsync(Tenant, agent.Id))!.ActiveTasks);
        Assert.Equal(TaskState.Running, (await Store.FindTaskAsync(Tenant, second.Id))!.State);
        Assert.Equal(TaskState.Pending, (await Store.FindTaskAsync(Tenant, gpu.Id))!.State);
        Assert.Equal([TaskState.Assigned, TaskState.Running], (await Store.GetTaskHistoryAsync(Tenant, high.Id)).Select(h => h.To));
    }

    [Fact]
    public async Task A_batch_lease_asking_for_more_than_the_free_slots_is_refused_and_changes_nothing()
    {
        var task = NewTask(TaskPriority.Medium);
        await Write(tx => tx.Add(task));
        var agent = NewAgent(capacity: 2);
        await Write(tx => tx.Add(agent, "hash-" + agent.Id));

        var refused = await Leases.ExecuteAsync(Caller.Tenant(Tenant), agent.Id, max: 3);

        Assert.Equal(FailureKind.Invalid, refused.Failure?.Kind);
        Assert.Contains("2 are free", refused.Failure!.Detail, StringComparison.Ordinal);
        Assert.Equal(TaskState.Pending, (await Store.FindTaskAsync(Tenant, task.Id))!.State);
    }

    [Fact]
    public async Task Agents_batch_leasing_at_once_never_share_a_task_or_exceed_their_capacity()
    {
        var tasks = Enumerable.Range(0, 30).Select(_ => NewTask(TaskPriority.Medium)).ToList();
        await Write(tx => tasks.ForEach(tx.Add));
        var agents = Enumerable.Range(0, 6).Select(_ => NewAgent(capacity: 4)).ToList();
        foreach (var agent in agents)
        {
            await Write(tx => tx.Add(agent, "hash-" + agent.Id));
        }

        var leases = Leases;
        var outcomes = await Task.WhenAll(agents.Select(a => Task.Run(() => leases.ExecuteAsync(Caller.Tenant(Tenant), a.Id, max: 4))));

        var leased = outcomes.SelectMany(o => o.Value!).Select(t => t.Id).ToList();
        Assert.Equal(24, leased.Count);
        Assert.Equal(leased.Count, leased.Distinct().Count());
        Assert.Equal(tasks.Take(24).Select(t => t.Id).Order(), leased.Order());
        foreach (var agent in agents)
        {
            Assert.Equal(4, (await Store.FindAgentAsync(Tenant, agent.Id))!.ActiveTasks);
        }
    }

    private Task<int> Write(Action<ITenantTransaction> write) =>
        Store.TransactAsync(Tenant, tx =>
        {
            write(tx);
            return ValueTask.FromResult(0);
        });

    private WorkTask NewTask(TaskPriority priority, params string[] capabilities)
    {
        var created = Now.AddTicks(Interlocked.Increment(ref _clockTicks));
        return new WorkTask
        {
            Id = Guid.CreateVersion7(),
            TenantId = Tenant,
            Type = "batch",
            Priority = priority,
            RequiredCapabilities = capabilities,
            MaxRetries = 3,
            TimeoutSeconds = 300,
            CreatedAt = created,
            UpdatedAt = created,
        };
    }

    private static Agent NewAgent(int capacity, params string[] capabilities) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = Tenant,
        Name = "agent",
        Capabilities = capabilities,
        Capacity = capacity,
        LastHeartbeatAt = DateTimeOffset.UtcNow,
        RegisteredAt = Now,
    };
}

public sealed class SqliteBatchLeaseContract : BatchLeaseContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureBatchLeaseContract : BatchLeaseContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
