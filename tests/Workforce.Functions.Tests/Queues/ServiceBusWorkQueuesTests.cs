extern alias FunctionsApp;

using Azure.Messaging.ServiceBus;
using FunctionsApp::Workforce.Functions.Queues;
using Workforce.Core.Queues;

namespace Workforce.Functions.Tests.Queues;

/// <summary>
/// <see cref="ServiceBusWorkQueues"/> against the Service Bus SDK's own types, faked through their test seams
/// (<see cref="InMemoryServiceBus"/>): what it sends, how it counts by peeking and how it purges dead letters. What a
/// real namespace does with those calls is not verified here (docs/azure.md).
/// </summary>
public sealed class ServiceBusWorkQueuesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task A_message_is_sent_to_its_queue_with_its_id_tenant_schedule_and_time_to_live()
    {
        var bus = new InMemoryServiceBus();
        await using var queues = new ServiceBusWorkQueues(bus);
        var enqueueAt = Now.AddMinutes(5);

        await queues.SendAsync(new QueueMessage(WorkQueues.TasksHigh, "{\"taskId\":1}")
        {
            MessageId = "m1",
            TenantId = "acme",
            ScheduledEnqueueTime = enqueueAt,
            TimeToLive = TimeSpan.FromHours(1),
        });

        var sent = Assert.Single(bus.Messages(WorkQueues.TasksHigh));
        Assert.Equal(("m1", "application/json", "{\"taskId\":1}"), (sent.MessageId, sent.ContentType, sent.Body.ToString()));
        Assert.Equal("acme", sent.ApplicationProperties[ServiceBusWorkQueues.TenantProperty]);
        Assert.Equal(enqueueAt, sent.ScheduledEnqueueTime);
        Assert.Equal(TimeSpan.FromHours(1), sent.TimeToLive);
        Assert.All(WorkQueues.All.Where(q => q.Name != WorkQueues.TasksHigh), q => Assert.Empty(bus.Messages(q.Name)));
    }

    [Fact]
    public async Task A_message_without_a_tenant_or_schedule_leaves_them_unset_and_one_sender_per_queue_serves_every_send()
    {
        var bus = new InMemoryServiceBus();
        await using var queues = new ServiceBusWorkQueues(bus);

        await queues.SendAsync(new QueueMessage(WorkQueues.TasksLow, "a"));
        await queues.SendAsync(new QueueMessage(WorkQueues.TasksLow, "b"));

        Assert.All(bus.Messages(WorkQueues.TasksLow), m =>
        {
            Assert.False(m.ApplicationProperties.ContainsKey(ServiceBusWorkQueues.TenantProperty));
            Assert.Equal(default, m.ScheduledEnqueueTime);
        });
        Assert.Equal(WorkQueues.All.ToDictionary(q => q.Name, _ => 1), bus.SendersCreated.ToDictionary());
    }

    [Fact]
    public async Task Counts_tell_waiting_scheduled_and_dead_lettered_messages_apart_for_the_tenant_asked_about()
    {
        var bus = new InMemoryServiceBus();
        await using var queues = new ServiceBusWorkQueues(bus);
        await queues.SendAsync(new QueueMessage(WorkQueues.TasksMedium, "{}") { TenantId = "acme" });
        await queues.SendAsync(new QueueMessage(WorkQueues.TasksMedium, "{}") { TenantId = "acme", ScheduledEnqueueTime = Now.AddHours(1) });
        await queues.SendAsync(new QueueMessage(WorkQueues.TasksMedium, "{}") { TenantId = "other" });
        bus.DeadLetter(WorkQueues.TasksMedium, "{}", Now, "MaxDeliveryCountExceeded", tenantId: "acme");
        bus.DeadLetter(WorkQueues.TasksMedium, "{}", Now, "MaxDeliveryCountExceeded", tenantId: "other");

        var acme = await queues.CountAsync("acme");
        var everyone = await queues.CountAsync(null);

        Assert.Equal(WorkQueues.All.Select(q => q.Name), acme.Select(c => c.Queue));
        Assert.Equal(new QueueCounts(WorkQueues.TasksMedium, 1, 1, 1), acme.Single(c => c.Queue == WorkQueues.TasksMedium));
        Assert.Equal(new QueueCounts(WorkQueues.TasksMedium, 2, 1, 2), everyone.Single(c => c.Queue == WorkQueues.TasksMedium));
        Assert.All(acme.Where(c => c.Queue != WorkQueues.TasksMedium), c => Assert.Equal(new QueueCounts(c.Queue, 0, 0, 0), c));
        Assert.Equal(0, bus.OpenReceivers);
    }

    [Fact]
    public async Task Counting_pages_through_a_long_queue_and_stops_at_the_cap()
    {
        var bus = new InMemoryServiceBus();
        await using var queues = new ServiceBusWorkQueues(bus);
        for (var i = 0; i < ServiceBusWorkQueues.MaxCountedPerQueue + 100; i++)
        {
            await queues.SendAsync(new QueueMessage(WorkQueues.TasksLow, "{}") { TenantId = "acme" });
        }

        for (var i = 0; i < 300; i++)
        {
            await queues.SendAsync(new QueueMessage(WorkQueues.TasksHigh, "{}") { TenantId = "acme" });
        }

        var counts = await queues.CountAsync("acme");

        Assert.Equal(ServiceBusWorkQueues.MaxCountedPerQueue, counts.Single(c => c.Queue == WorkQueues.TasksLow).Active);
        Assert.Equal(300, counts.Single(c => c.Queue == WorkQueues.TasksHigh).Active);
    }

    [Fact]
    public async Task Purging_deletes_dead_letters_older_than_the_cutoff_and_gives_the_first_younger_one_back()
    {
        var bus = new InMemoryServiceBus();
        await using var queues = new ServiceBusWorkQueues(bus);
        var cutoff = Now.AddDays(-7);
        bus.DeadLetter(WorkQueues.TasksHigh, "old-1", cutoff.AddDays(-2), "MaxDeliveryCountExceeded");
        bus.DeadLetter(WorkQueues.TasksHigh, "old-2", cutoff.AddHours(-1), "MaxDeliveryCountExceeded");
        bus.DeadLetter(WorkQueues.TasksHigh, "young", cutoff.AddHours(1), "MaxDeliveryCountExceeded");
        bus.DeadLetter(WorkQueues.TasksHigh, "old-after-young", cutoff.AddDays(-3), "MaxDeliveryCountExceeded");
        // Sent long ago but expired only recently: it was dead-lettered when it expired.
        bus.DeadLetter(WorkQueues.TasksLow, "expired-recently", cutoff.AddDays(-5), "TTLExpiredException", timeToLive: TimeSpan.FromDays(6));
        bus.DeadLetter(WorkQueues.TasksLow, "expired-long-ago", cutoff.AddDays(-5), "TTLExpiredException", timeToLive: TimeSpan.FromDays(1));

        var purged = await queues.PurgeDeadLettersAsync(cutoff, limit: 100);

        Assert.Equal(2, purged);
        Assert.Equal(["young", "old-after-young"], bus.Messages(WorkQueues.TasksHigh, SubQueue.DeadLetter).Select(m => m.Body.ToString()));
        Assert.Equal(["expired-recently", "expired-long-ago"], bus.Messages(WorkQueues.TasksLow, SubQueue.DeadLetter).Select(m => m.Body.ToString()));
        Assert.Equal(0, bus.OpenReceivers);
    }

    [Fact]
    public async Task Purging_stops_at_the_limit_across_queues()
    {
        var bus = new InMemoryServiceBus();
        await using var queues = new ServiceBusWorkQueues(bus);
        foreach (var queue in WorkQueues.All)
        {
            bus.DeadLetter(queue.Name, "old", Now.AddDays(-30), "MaxDeliveryCountExceeded");
            bus.DeadLetter(queue.Name, "old", Now.AddDays(-30), "MaxDeliveryCountExceeded");
        }

        var purged = await queues.PurgeDeadLettersAsync(Now.AddDays(-7), limit: 3);

        Assert.Equal(3, purged);
        Assert.Equal(2 * WorkQueues.All.Count - 3, WorkQueues.All.Sum(q => bus.Messages(q.Name, SubQueue.DeadLetter).Count));
    }

    [Fact]
    public async Task Receiving_and_settling_are_left_to_the_trigger_functions()
    {
        await using var queues = new ServiceBusWorkQueues(new InMemoryServiceBus());
        var received = new ReceivedMessage(WorkQueues.TasksHigh, "m", "lock", "{}", "acme", 1, Now, Now.AddSeconds(30));

        var refusals = new List<Func<Task>>
        {
            () => queues.ReceiveAsync(WorkQueues.TasksHigh, 1),
            () => queues.CompleteAsync(received),
            () => queues.AbandonAsync(received),
            () => queues.DeadLetterAsync(received, "reason"),
            () => queues.RenewLockAsync(received),
            () => queues.WaitForMessagesAsync(TimeSpan.FromSeconds(1)),
        };

        foreach (var refusal in refusals)
        {
            var refused = await Assert.ThrowsAsync<NotSupportedException>(refusal);
            Assert.Contains("[ServiceBusTrigger]", refused.Message, StringComparison.Ordinal);
        }
    }
}
