using Workforce.Core.Queues;

namespace Workforce.Storage.Tests;

/// <summary>What every <see cref="IWorkQueues"/> must do: Service Bus peek-lock semantics.</summary>
public abstract class WorkQueuesContract : IAsyncLifetime
{
    protected IStorageBackend Backend { get; private set; } = null!;

    private IWorkQueues Queues => Backend.Queues;

    public async ValueTask InitializeAsync() => Backend = await CreateBackendAsync();

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    [Fact]
    public async Task A_sent_message_is_received_once_under_a_lock_and_gone_when_completed()
    {
        await Queues.SendAsync(new QueueMessage(TestQueues.Work, "hello") { TenantId = "t1" });

        var received = Assert.Single(await Queues.ReceiveAsync(TestQueues.Work, 10));
        Assert.Equal(("hello", "t1", 1), (received.Body, received.TenantId, received.DeliveryCount));
        Assert.Empty(await Queues.ReceiveAsync(TestQueues.Work, 10));

        await Queues.CompleteAsync(received);
        await Backend.AdvanceTimeAsync(TestQueues.LockDuration + TimeSpan.FromSeconds(1));
        Assert.Empty(await Queues.ReceiveAsync(TestQueues.Work, 10));
    }

    [Fact]
    public async Task Messages_arrive_in_the_order_they_were_sent()
    {
        for (var i = 0; i < 5; i++)
        {
            await Queues.SendAsync(new QueueMessage(TestQueues.Work, $"m{i}"));
        }

        var received = await Queues.ReceiveAsync(TestQueues.Work, 3);
        received = [.. received, .. await Queues.ReceiveAsync(TestQueues.Work, 3)];

        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], received.Select(m => m.Body));
    }

    [Fact]
    public async Task A_message_whose_lock_expires_is_delivered_again_and_the_old_lock_is_lost()
    {
        await Queues.SendAsync(new QueueMessage(TestQueues.Work, "retry me"));
        var first = Assert.Single(await Queues.ReceiveAsync(TestQueues.Work, 1));

        await Backend.AdvanceTimeAsync(TestQueues.LockDuration + TimeSpan.FromSeconds(1));
        var second = Assert.Single(await Queues.ReceiveAsync(TestQueues.Work, 1));

        Assert.Equal(2, second.DeliveryCount);
        Assert.Equal(first.MessageId, second.MessageId);
        await Assert.ThrowsAsync<MessageLockLostException>(() => Queues.CompleteAsync(first));
        await Queues.CompleteAsync(second);
    }

    [Fact]
    public async Task An_abandoned_message_is_available_at_once()
    {
        await Queues.SendAsync(new QueueMessage(TestQueues.Work, "again"));
        var first = Assert.Single(await Queues.ReceiveAsync(TestQueues.Work, 1));

        await Queues.AbandonAsync(first);

        Assert.Equal(2, Assert.Single(await Queues.ReceiveAsync(TestQueues.Work, 1)).DeliveryCount);
    }

    [Fact]
    public async Task A_message_delivered_more_than_the_max_delivery_count_is_dead_lettered()
    {
        await Queues.SendAsync(new QueueMessage(TestQueues.Work, "poison") { TenantId = "t1" });
        for (var delivery = 1; delivery <= 2; delivery++)
        {
            await Queues.AbandonAsync(Assert.Single(await Queues.ReceiveAsync(TestQueues.Work, 1)));
        }

        Assert.Empty(await Queues.ReceiveAsync(TestQueues.Work, 1));
        var counts = (await Queues.CountAsync("t1")).Single(c => c.Queue == TestQueues.Work);
        Assert.Equal(new QueueCounts(TestQueues.Work, Active: 0, Scheduled: 0, DeadLettered: 1), counts);
    }

    [Fact]
    public async Task A_scheduled_message_stays_invisible_until_its_time()
    {
        await Queues.SendAsync(new QueueMessage(TestQueues.Work, "later") { ScheduledEnqueueTime = DateTimeOffset.UtcNow.AddSeconds(2), TenantId = "t1" });

        Assert.Empty(await Queues.ReceiveAsync(TestQueues.Work, 1));
        Assert.Equal(1, (await Queues.CountAsync("t1")).Single(c => c.Queue == TestQueues.Work).Scheduled);

        await Backend.AdvanceTimeAsync(TimeSpan.FromSeconds(3));
        Assert.Equal("later", Assert.Single(await Queues.ReceiveAsync(TestQueues.Work, 1)).Body);
    }

    [Fact]
    public async Task An_expired_message_is_dead_lettered_when_the_queue_says_so_and_dropped_otherwise()
    {
        await Queues.SendAsync(new QueueMessage(TestQueues.Work, "stale") { TimeToLive = TimeSpan.FromSeconds(1), TenantId = "t1" });
        await Queues.SendAsync(new QueueMessage(TestQueues.Dropping, "stale") { TimeToLive = TimeSpan.FromSeconds(1), TenantId = "t1" });

        await Backend.AdvanceTimeAsync(TimeSpan.FromSeconds(2));

        Assert.Empty(await Queues.ReceiveAsync(TestQueues.Work, 1));
        Assert.Empty(await Queues.ReceiveAsync(TestQueues.Dropping, 1));
        var counts = (await Queues.CountAsync("t1")).ToDictionary(c => c.Queue);
        Assert.Equal(1, counts[TestQueues.Work].DeadLettered);
        Assert.Equal(0, counts[TestQueues.Dropping].DeadLettered);
    }

    [Fact]
    public async Task A_message_can_be_dead_lettered_explicitly_and_purged_later()
    {
        await Queues.SendAsync(new QueueMessage(TestQueues.Work, "bad") { TenantId = "t1" });
        await Queues.DeadLetterAsync(Assert.Single(await Queues.ReceiveAsync(TestQueues.Work, 1)), "Unreadable", "not JSON");

        Assert.Equal(0, await Queues.PurgeDeadLettersAsync(DateTimeOffset.UtcNow.AddMinutes(-1), 10));
        await Backend.AdvanceTimeAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await Queues.PurgeDeadLettersAsync(DateTimeOffset.UtcNow.AddSeconds(30), 10));
        Assert.Equal(0, (await Queues.CountAsync("t1")).Single(c => c.Queue == TestQueues.Work).DeadLettered);
    }

    [Fact]
    public async Task A_renewed_lock_outlives_its_first_expiry()
    {
        await Queues.SendAsync(new QueueMessage(TestQueues.Work, "long job"));
        var message = Assert.Single(await Queues.ReceiveAsync(TestQueues.Work, 1));

        await Backend.AdvanceTimeAsync(TestQueues.LockDuration / 2);
        var renewedUntil = await Queues.RenewLockAsync(message);
        await Backend.AdvanceTimeAsync(TestQueues.LockDuration * 0.75);

        Assert.True(renewedUntil > message.LockedUntil);
        Assert.Empty(await Queues.ReceiveAsync(TestQueues.Work, 1));
        await Queues.CompleteAsync(message);
    }

    [Fact]
    public async Task Counts_are_per_queue_and_per_tenant()
    {
        await Queues.SendAsync(new QueueMessage(WorkQueues.TasksHigh, "a") { TenantId = "t1" });
        await Queues.SendAsync(new QueueMessage(WorkQueues.TasksHigh, "b") { TenantId = "t2" });
        await Queues.SendAsync(new QueueMessage(WorkQueues.TasksLow, "c") { TenantId = "t1" });

        var t1 = (await Queues.CountAsync("t1")).ToDictionary(c => c.Queue, c => c.Active);

        Assert.Equal(1, t1[WorkQueues.TasksHigh]);
        Assert.Equal(1, t1[WorkQueues.TasksLow]);
        Assert.Equal(0, t1[WorkQueues.TasksCritical]);
        Assert.Equal(2, (await Queues.CountAsync(null)).Single(c => c.Queue == WorkQueues.TasksHigh).Active);
    }

    [Fact]
    public async Task An_unknown_queue_is_refused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => Queues.SendAsync(new QueueMessage("no-such-queue", "x")));
}

public sealed class SqliteWorkQueuesContract : WorkQueuesContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureWorkQueuesContract : WorkQueuesContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
