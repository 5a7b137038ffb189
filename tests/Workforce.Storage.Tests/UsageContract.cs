using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Core;
using Workforce.Core.Notifications;
using Workforce.Core.Plans;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Core.Subscriptions;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;
using Workforce.Core.Usage;

namespace Workforce.Storage.Tests;

/// <summary>
/// What every store must do for subscriptions and metering: events counted once in the transaction that causes
/// them, counters per period, the quota check inside the admitting transaction, warnings published after commit.
/// The stores meter against <see cref="TestBilling"/>: Free with five tasks.
/// </summary>
public abstract class UsageContract : IAsyncLifetime
{
    private const string Tenant = "metered";
    private DateTimeOffset _createdAt;

    protected IStorageBackend Backend { get; private set; } = null!;

    private IWorkforceStore Store => Backend.Store;

    public async ValueTask InitializeAsync()
    {
        Backend = await CreateBackendAsync();
        _createdAt = DateTimeOffset.UtcNow.AddDays(-1);
        await Backend.Directory.TryCreateTenantAsync(new Tenant(Tenant, "Metered", _createdAt), ApiKeys.Hash("key-metered"));
    }

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    private async Task<PeriodUsage> UsageNowAsync()
    {
        var subscription = (await Store.FindSubscriptionAsync(Tenant))!;
        return await Store.FindUsageAsync(Tenant, subscription.PeriodContaining(DateTimeOffset.UtcNow).Start);
    }

    private Task<bool> Meter(params UsageEvent[] events) => Store.TransactAsync(Tenant, tx =>
    {
        foreach (var usage in events)
        {
            tx.Meter(usage);
        }

        return ValueTask.FromResult(true);
    });

    [Fact]
    public async Task A_tenant_that_never_changed_its_subscription_is_on_free_since_its_creation()
    {
        var subscription = await Store.FindSubscriptionAsync(Tenant);

        Assert.Equal(Plan.Free, subscription!.PlanId);
        Assert.Equal(_createdAt.UtcTicks, subscription.AnchoredAt.UtcTicks);
        Assert.Null(await Store.FindSubscriptionAsync("no-such-tenant"));
    }

    [Fact]
    public async Task A_saved_subscription_reads_back_whole()
    {
        var at = DateTimeOffset.UtcNow;
        var plans = TestBilling.Plans();
        await Store.TransactAsync(Tenant, async tx =>
        {
            var free = await tx.FindSubscriptionAsync();
            tx.Save(free.ChangePlan(plans.Get(Plan.Free), plans.Get(Plan.Professional), at) with
            {
                Overage = OveragePolicy.Allow,
                OverageSpendCap = new Money(12.5m, "USD"),
                Scheduled = new ScheduledPlanChange(Plan.Free, at.AddDays(3)),
            });
            return true;
        });

        var saved = (await Store.FindSubscriptionAsync(Tenant))!;

        Assert.Equal(Plan.Professional, saved.PlanId);
        Assert.Equal(OveragePolicy.Allow, saved.Overage);
        Assert.Equal(new Money(12.5m, "USD"), saved.OverageSpendCap);
        Assert.Equal(Plan.Free, saved.Scheduled!.PlanId);
        Assert.Equal(Plan.Professional, Assert.Single(saved.ChangesThisPeriod).ToPlanId);
    }

    [Fact]
    public async Task An_event_metered_twice_counts_once()
    {
        var at = DateTimeOffset.UtcNow;
        var calls = new UsageEvent("api:node-1:7", Core.Usage.Meter.ApiCalls, 40, at);

        await Meter(calls);
        await Meter(calls, new UsageEvent("api:node-1:8", Core.Usage.Meter.ApiCalls, 2, at));

        Assert.Equal(42, (await UsageNowAsync()).ApiCalls);
        var kept = await Store.QueryUsageAsync(Tenant, at.AddMinutes(-1), at.AddMinutes(1)).ToListAsync();
        Assert.Equal(["api:node-1:7", "api:node-1:8"], kept.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task Counters_keep_each_meter_and_storage_its_level_and_peak()
    {
        var at = DateTimeOffset.UtcNow;
        await Meter(UsageEvent.TaskAccepted(Guid.NewGuid(), at), UsageEvent.Stored("payload:a", 500, at));
        await Meter(UsageEvent.AttemptRan(Guid.NewGuid(), 1, at.AddSeconds(-90), at), UsageEvent.Stored("result:a", 300, at));
        await Meter(UsageEvent.Freed(Guid.NewGuid(), 600, at));

        var usage = await UsageNowAsync();

        Assert.Equal((1L, 90L, 200L, 800L), (usage.Tasks, usage.ComputeSeconds, usage.StorageBytes, usage.StoragePeakBytes));
    }

    [Fact]
    public async Task A_race_of_submissions_at_one_below_the_limit_admits_exactly_one()
    {
        var submit = new SubmitTask(Store, new TaskOptions(), TestBilling.Plans(), new NotificationOptions(), TimeProvider.System, NullLogger<SubmitTask>.Instance);
        for (var i = 0; i < TestBilling.FreeTasks - 1; i++)
        {
            Assert.True((await submit.ExecuteAsync(Caller.Tenant(Tenant), new SubmitTaskCommand("work"))).Succeeded);
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => submit.ExecuteAsync(Caller.Tenant(Tenant), new SubmitTaskCommand("work")))));

        Assert.Single(outcomes, o => o.Succeeded);
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Equal(FailureKind.QuotaExceeded, o.Failure!.Kind));
        Assert.Equal(TestBilling.FreeTasks, (await UsageNowAsync()).Tasks);
        Assert.Equal(TestBilling.FreeTasks, (await Store.ListTasksAsync(Tenant, new(), new(50, null))).Items.Count);
    }

    [Fact]
    public async Task Crossing_80_and_100_percent_raises_each_warning_once_in_the_commit_that_crossed_it()
    {
        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < TestBilling.FreeTasks; i++)
        {
            await Meter(UsageEvent.TaskAccepted(Guid.NewGuid(), at));
        }

        var raised = new List<NotificationEvent>();
        foreach (var queue in WorkQueues.NotificationEvents)
        {
            raised.AddRange((await Backend.Queues.ReceiveAsync(queue.Name, 32)).Select(m => StoredJson.Deserialize<NotificationEvent>(m.Body)));
        }

        Assert.Equal([(NotificationEvents.QuotaExceeded, "100"), (NotificationEvents.QuotaWarning, "80")],
            raised.Where(e => e.TenantId == Tenant && e.Data["meter"]!.ToString() == "tasks").Select(e => (e.Type, e.Data["percent"]!.ToString())).Order());
    }

    [Fact]
    public async Task Purging_a_finished_task_gives_its_bytes_back()
    {
        var at = DateTimeOffset.UtcNow;
        var task = new WorkTask
        {
            Id = Guid.CreateVersion7(),
            TenantId = Tenant,
            Type = "work",
            Priority = TaskPriority.Medium,
            Payload = new RawJson("\"0123456789\""),
            RequiredCapabilities = [],
            MaxRetries = 3,
            TimeoutSeconds = 60,
            CreatedAt = at,
            UpdatedAt = at,
        };
        await Store.TransactAsync(Tenant, tx =>
        {
            tx.Submit(task);
            return ValueTask.FromResult(true);
        });
        Assert.Equal(12, (await UsageNowAsync()).StorageBytes);
        await Store.TransactAsync(Tenant, async tx =>
        {
            var stored = (await tx.FindTaskAsync(task.Id))!;
            return tx.Move(stored, stored.Cancel(at));
        });

        await Store.PurgeFinishedTasksAsync(at.AddSeconds(1), 10);

        var usage = await UsageNowAsync();
        Assert.Equal((0L, 12L), (usage.StorageBytes, usage.StoragePeakBytes));
    }

    [Fact]
    public async Task Purged_usage_events_leave_their_counters()
    {
        var at = DateTimeOffset.UtcNow;
        await Meter(UsageEvent.TaskAccepted(Guid.NewGuid(), at.AddMinutes(-10)), UsageEvent.TaskAccepted(Guid.NewGuid(), at));

        Assert.Equal(1, await Store.PurgeUsageEventsAsync(at.AddMinutes(-5), 100));

        Assert.Single(await Store.QueryUsageAsync(Tenant, at.AddHours(-1), at.AddHours(1)).ToListAsync());
        Assert.Equal(2, (await UsageNowAsync()).Tasks);
    }
}

public sealed class SqliteUsageContract : UsageContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureUsageContract : UsageContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
