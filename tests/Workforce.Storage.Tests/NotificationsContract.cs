using Workforce.Core.Notifications;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;

namespace Workforce.Storage.Tests;

/// <summary>
/// What every store must do for notifications: endpoints and templates kept whole, deliveries listed newest first
/// with filters and cursors, fan-out records whose sequence is given once per tenant, and purges of old deliveries.
/// Documents are compared in their stored JSON form, so that a field the store loses shows.
/// </summary>
public abstract class NotificationsContract : IAsyncLifetime
{
    protected const string TenantA = "notify-a";
    protected const string TenantB = "notify-b";
    protected static readonly DateTimeOffset Now = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);

    protected IStorageBackend Backend { get; private set; } = null!;

    protected IWorkforceStore Store => Backend.Store;

    public async ValueTask InitializeAsync()
    {
        Backend = await CreateBackendAsync();
        await Backend.Directory.TryCreateTenantAsync(new Tenant(TenantA, "A", Now), ApiKeys.Hash("key-notify-a"));
        await Backend.Directory.TryCreateTenantAsync(new Tenant(TenantB, "B", Now), ApiKeys.Hash("key-notify-b"));
    }

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    [Fact]
    public async Task Endpoints_are_saved_replaced_and_removed_and_list_in_creation_order()
    {
        var first = Endpoint(TenantA, Now.AddSeconds(1));
        var second = Endpoint(TenantA, Now.AddSeconds(2), NotificationChannel.Email);
        var third = Endpoint(TenantA, Now.AddSeconds(3), NotificationChannel.Sms);
        foreach (var endpoint in new[] { third, first, second })
        {
            await Write(TenantA, tx => tx.Save(endpoint));
        }

        var disabled = second.Disable("410 Gone", Now.AddMinutes(1));
        await Write(TenantA, tx => tx.Save(disabled));
        Assert.Equal(JsonEach(first, disabled, third), JsonEach(await Store.ListNotificationEndpointsAsync(TenantA)));

        await Write(TenantA, tx => tx.Remove(first));

        Assert.Equal(JsonEach(disabled, third), JsonEach(await Store.ListNotificationEndpointsAsync(TenantA)));
        Assert.Equal(JsonEach(disabled, third), JsonEach(await Store.TransactAsync(TenantA, tx => tx.NotificationEndpointsAsync())));
    }

    [Fact]
    public async Task A_template_replaces_the_one_of_the_same_event_and_channel()
    {
        var failedEmail = new NotificationTemplate(TenantA, NotificationEvents.TaskFailed, NotificationChannel.Email, "Failed: {{taskId}}", "v1", Now);
        var failedSms = failedEmail with { Channel = NotificationChannel.Sms, Subject = null, Body = "sms" };
        var offlineEmail = failedEmail with { Event = NotificationEvents.AgentOffline, Body = "offline" };
        await Write(TenantA, tx =>
        {
            tx.Save(failedEmail);
            tx.Save(failedSms);
            tx.Save(offlineEmail);
        });

        var reworded = failedEmail with { Subject = "Task {{taskId}} failed", Body = "v2", UpdatedAt = Now.AddHours(1) };
        await Write(TenantA, tx => tx.Save(reworded));
        Assert.Equal(JsonEach(failedSms, offlineEmail, reworded).Order(), JsonEach(await Store.ListNotificationTemplatesAsync(TenantA)).Order());

        await Write(TenantA, tx => tx.Remove(offlineEmail));

        Assert.Equal(JsonEach(failedSms, reworded).Order(), JsonEach(await Store.TransactAsync(TenantA, tx => tx.NotificationTemplatesAsync())).Order());
    }

    [Fact]
    public async Task A_delivery_reads_back_whole_and_is_replaced_with_each_attempt()
    {
        var delivery = Delivery(Endpoint(TenantA, Now), NotificationEvents.TaskFailed, Now);
        await Write(TenantA, tx => tx.Save(delivery));
        Assert.Equal(Json(delivery), Json(await Store.FindDeliveryAsync(TenantA, delivery.Id)));

        var busy = new DeliveryAttempt(1, Now.AddSeconds(1), false, 503, "busy", 120, null);
        await Store.TransactAsync(TenantA, async tx =>
        {
            tx.Save((await tx.FindDeliveryAsync(delivery.Id))!.Record(busy, Now.AddMinutes(1)));
            return 0;
        });
        var failed = delivery.Record(busy, Now.AddMinutes(1));
        Assert.Equal(Json(failed), Json(await Store.FindDeliveryAsync(TenantA, delivery.Id)));

        var resent = failed.Record(new DeliveryAttempt(2, Now.AddMinutes(1), false, null, null, 10_000, "timed out"), null).Resend(Now.AddHours(1));
        await Write(TenantA, tx => tx.Save(resent));

        Assert.Equal(Json(resent), Json(await Store.FindDeliveryAsync(TenantA, delivery.Id)));
        Assert.Equal(Json(resent), Json(await Store.TransactAsync(TenantA, tx => tx.FindDeliveryAsync(delivery.Id))));
        Assert.Null(await Store.FindDeliveryAsync(TenantA, "dlv_none_none"));
    }

    [Fact]
    public async Task A_transaction_reads_its_own_notification_writes()
    {
        var endpoint = Endpoint(TenantA, Now);
        var delivery = Delivery(endpoint, NotificationEvents.TaskFailed, Now);
        var fannedOut = new FannedOutEvent(delivery.Event.Id, 1, Now, [delivery.Id]);
        var template = new NotificationTemplate(TenantA, NotificationEvents.TaskFailed, NotificationChannel.Sms, null, "{{taskId}}", Now);

        var seen = await Store.TransactAsync(TenantA, async tx =>
        {
            tx.Save(endpoint);
            tx.Save(template);
            tx.Save(delivery);
            tx.Add(fannedOut);
            var read = (Endpoints: await tx.NotificationEndpointsAsync(), Templates: await tx.NotificationTemplatesAsync(), Delivery: await tx.FindDeliveryAsync(delivery.Id),
                FannedOut: await tx.FindFannedOutEventAsync(fannedOut.EventId), Last: await tx.LastNotificationSequenceAsync());
            tx.Remove(endpoint);
            return (read, EndpointsAfterRemove: await tx.NotificationEndpointsAsync());
        });

        Assert.Equal(JsonEach(endpoint), JsonEach(seen.read.Endpoints));
        Assert.Equal(JsonEach(template), JsonEach(seen.read.Templates));
        Assert.Equal(Json(delivery), Json(seen.read.Delivery));
        Assert.Equal(Json(fannedOut), Json(seen.read.FannedOut));
        Assert.Equal(1, seen.read.Last);
        Assert.Empty(seen.EndpointsAfterRemove);
        Assert.Empty(await Store.ListNotificationEndpointsAsync(TenantA));
    }

    [Fact]
    public async Task Deliveries_list_newest_first_then_by_id_and_page_with_cursors()
    {
        var endpoint = Endpoint(TenantA, Now);
        var deliveries = Enumerable.Range(0, 6).Select(i => Delivery(endpoint, NotificationEvents.TaskFailed, Now.AddMinutes(i))).ToList();
        deliveries.Add(Delivery(endpoint, NotificationEvents.TaskFailed, Now.AddMinutes(3)));
        foreach (var delivery in deliveries.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            await Write(TenantA, tx => tx.Save(delivery));
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Store.ListDeliveriesAsync(TenantA, new DeliveryFilter(), new PageRequest(3, cursor));
            Assert.InRange(page.Items.Count, 1, 3);
            seen.AddRange(page.Items.Select(d => d.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(deliveries.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal).Select(d => d.Id), seen);
    }

    [Fact]
    public async Task Deliveries_list_filters_by_endpoint_status_event_type_and_creation_time()
    {
        var webhook = Endpoint(TenantA, Now);
        var email = Endpoint(TenantA, Now, NotificationChannel.Email);
        var pending = Delivery(webhook, NotificationEvents.TaskFailed, Now.AddMinutes(1));
        var other = Delivery(email, NotificationEvents.TaskFailed, Now.AddMinutes(2));
        var succeeded = Delivery(webhook, NotificationEvents.AgentOffline, Now.AddMinutes(3)).Record(new DeliveryAttempt(1, Now.AddMinutes(3), true, 200, null, 40, null), null);
        var failed = Delivery(email, NotificationEvents.QuotaWarning, Now.AddMinutes(4)).Abandon("endpoint removed", Now.AddMinutes(4));
        await Write(TenantA, tx =>
        {
            foreach (var delivery in new[] { pending, other, succeeded, failed })
            {
                tx.Save(delivery);
            }
        });

        async Task<string[]> Ids(DeliveryFilter filter) => [.. (await Store.ListDeliveriesAsync(TenantA, filter, new PageRequest(50, null))).Items.Select(d => d.Id)];

        Assert.Equal([succeeded.Id, pending.Id], await Ids(new(EndpointId: webhook.Id)));
        Assert.Equal([other.Id, pending.Id], await Ids(new(Status: DeliveryStatus.Pending)));
        Assert.Equal([failed.Id], await Ids(new(Status: DeliveryStatus.Failed)));
        Assert.Equal([other.Id, pending.Id], await Ids(new(EventType: NotificationEvents.TaskFailed)));
        Assert.Equal([failed.Id, succeeded.Id, other.Id], await Ids(new(CreatedSince: other.CreatedAt)));
        Assert.Equal([other.Id], await Ids(new(email.Id, DeliveryStatus.Pending, NotificationEvents.TaskFailed, Now.AddMinutes(1))));

        await Write(TenantA, tx => tx.Save(pending.Record(new DeliveryAttempt(1, Now.AddMinutes(5), true, 204, null, 30, null), null)));

        Assert.Equal([other.Id], await Ids(new(Status: DeliveryStatus.Pending)));
        Assert.Equal([succeeded.Id, pending.Id], await Ids(new(Status: DeliveryStatus.Succeeded)));
    }

    [Fact]
    public async Task A_delivery_list_cursor_the_store_did_not_issue_is_rejected()
    {
        await Write(TenantA, tx =>
        {
            tx.Add(NewTask(TenantA));
            tx.Add(NewTask(TenantA));
        });
        var taskCursor = (await Store.ListTasksAsync(TenantA, new TaskFilter(), new PageRequest(1, null))).NextCursor;

        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListDeliveriesAsync(TenantA, new DeliveryFilter(), new PageRequest(10, "not-a-cursor")));
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListDeliveriesAsync(TenantA, new DeliveryFilter(), new PageRequest(10, taskCursor)));
    }

    [Fact]
    public async Task A_fan_out_is_found_by_its_event_and_each_takes_the_next_sequence()
    {
        Assert.Equal(0, await Store.TransactAsync(TenantA, tx => tx.LastNotificationSequenceAsync()));

        var first = await FanOutAsync(TenantA, NotificationEvent.NewId());
        var second = await FanOutAsync(TenantA, NotificationEvent.NewId());

        Assert.Equal((1L, 2L), (first.Sequence, second.Sequence));
        Assert.Equal(2, await Store.TransactAsync(TenantA, tx => tx.LastNotificationSequenceAsync()));
        Assert.Equal(Json(first), Json(await Store.TransactAsync(TenantA, tx => tx.FindFannedOutEventAsync(first.EventId))));
        Assert.Null(await Store.TransactAsync(TenantA, tx => tx.FindFannedOutEventAsync(NotificationEvent.NewId())));
    }

    [Fact]
    public async Task Concurrent_fan_outs_take_consecutive_sequences_each_once()
    {
        var eventIds = Enumerable.Range(0, 5).Select(_ => NotificationEvent.NewId()).ToList();

        var fannedOut = await Task.WhenAll(eventIds.Select(id => Task.Run(() => FanOutAsync(TenantA, id))));

        Assert.Equal([1L, 2, 3, 4, 5], fannedOut.Select(f => f.Sequence).Order());
        foreach (var expected in fannedOut)
        {
            Assert.Equal(expected.Sequence, (await Store.TransactAsync(TenantA, tx => tx.FindFannedOutEventAsync(expected.EventId)))!.Sequence);
        }

        Assert.Equal(5, await Store.TransactAsync(TenantA, tx => tx.LastNotificationSequenceAsync()));
    }

    [Fact]
    public async Task A_sequence_already_taken_cannot_be_taken_again()
    {
        var first = await FanOutAsync(TenantA, NotificationEvent.NewId());
        var late = new FannedOutEvent(NotificationEvent.NewId(), first.Sequence, Now, []);

        await Assert.ThrowsAnyAsync<Exception>(() => Write(TenantA, tx => tx.Add(late)));

        Assert.Null(await Store.TransactAsync(TenantA, tx => tx.FindFannedOutEventAsync(late.EventId)));
        Assert.Equal(Json(first), Json(await Store.TransactAsync(TenantA, tx => tx.FindFannedOutEventAsync(first.EventId))));
    }

    [Fact]
    public async Task A_tenant_sees_none_of_another_tenants_notifications()
    {
        var endpoint = Endpoint(TenantA, Now);
        var delivery = Delivery(endpoint, NotificationEvents.TaskFailed, Now);
        await Write(TenantA, tx =>
        {
            tx.Save(endpoint);
            tx.Save(new NotificationTemplate(TenantA, NotificationEvents.TaskFailed, NotificationChannel.Email, "s", "b", Now));
            tx.Save(delivery);
        });
        var fannedOut = await FanOutAsync(TenantA, delivery.Event.Id);

        Assert.Empty(await Store.ListNotificationEndpointsAsync(TenantB));
        Assert.Empty(await Store.ListNotificationTemplatesAsync(TenantB));
        Assert.Null(await Store.FindDeliveryAsync(TenantB, delivery.Id));
        Assert.Empty((await Store.ListDeliveriesAsync(TenantB, new DeliveryFilter(), new PageRequest(50, null))).Items);
        var inB = await Store.TransactAsync(TenantB, async tx => (
            Endpoints: await tx.NotificationEndpointsAsync(), Templates: await tx.NotificationTemplatesAsync(), Delivery: await tx.FindDeliveryAsync(delivery.Id),
            FannedOut: await tx.FindFannedOutEventAsync(fannedOut.EventId), Last: await tx.LastNotificationSequenceAsync()));
        Assert.Empty(inB.Endpoints);
        Assert.Empty(inB.Templates);
        Assert.Null(inB.Delivery);
        Assert.Null(inB.FannedOut);
        Assert.Equal(0, inB.Last);
        Assert.Equal(1, (await FanOutAsync(TenantB, NotificationEvent.NewId())).Sequence);
    }

    [Fact]
    public async Task Purging_deletes_old_deliveries_of_every_tenant_in_bounded_batches()
    {
        var cutoff = Now.AddDays(-30);
        var oldOfA = Enumerable.Range(1, 3).Select(i => Delivery(Endpoint(TenantA, Now), NotificationEvents.TaskFailed, cutoff.AddHours(-i))).ToList();
        var oldOfB = Enumerable.Range(1, 2).Select(i => Delivery(Endpoint(TenantB, Now), NotificationEvents.TaskFailed, cutoff.AddHours(-i))).ToList();
        var recentOfA = Delivery(Endpoint(TenantA, Now), NotificationEvents.TaskFailed, cutoff);
        var recentOfB = Delivery(Endpoint(TenantB, Now), NotificationEvents.TaskFailed, Now);
        await Write(TenantA, tx => oldOfA.Append(recentOfA).ToList().ForEach(tx.Save));
        await Write(TenantB, tx => oldOfB.Append(recentOfB).ToList().ForEach(tx.Save));

        Assert.Equal(4, await Store.PurgeDeliveriesAsync(cutoff, limit: 4));
        Assert.Equal(1, await Store.PurgeDeliveriesAsync(cutoff, limit: 4));
        Assert.Equal(0, await Store.PurgeDeliveriesAsync(cutoff, limit: 4));

        foreach (var old in oldOfA.Concat(oldOfB))
        {
            Assert.Null(await Store.FindDeliveryAsync(old.TenantId, old.Id));
        }

        Assert.Equal([recentOfA.Id], (await Store.ListDeliveriesAsync(TenantA, new DeliveryFilter(), new PageRequest(50, null))).Items.Select(d => d.Id));
        Assert.Equal([recentOfB.Id], (await Store.ListDeliveriesAsync(TenantB, new DeliveryFilter(), new PageRequest(50, null))).Items.Select(d => d.Id));
    }

    [Fact]
    public async Task Purging_keeps_each_tenants_latest_fan_out_so_its_sequence_never_goes_back()
    {
        var cutoff = Now.AddDays(-30);
        var olderOfA = await FanOutAsync(TenantA, NotificationEvent.NewId(), cutoff.AddDays(-2));
        var latestOfA = await FanOutAsync(TenantA, NotificationEvent.NewId(), cutoff.AddDays(-1));
        var onlyOfB = await FanOutAsync(TenantB, NotificationEvent.NewId(), cutoff.AddDays(-1));

        await Store.PurgeDeliveriesAsync(cutoff, limit: 10);

        Assert.Null(await Store.TransactAsync(TenantA, tx => tx.FindFannedOutEventAsync(olderOfA.EventId)));
        Assert.NotNull(await Store.TransactAsync(TenantA, tx => tx.FindFannedOutEventAsync(latestOfA.EventId)));
        Assert.NotNull(await Store.TransactAsync(TenantB, tx => tx.FindFannedOutEventAsync(onlyOfB.EventId)));
        Assert.Equal(3, (await FanOutAsync(TenantA, NotificationEvent.NewId())).Sequence);
        Assert.Equal(2, (await FanOutAsync(TenantB, NotificationEvent.NewId())).Sequence);
    }

    /// <summary>Fans an event out as the delivery worker does: the next sequence, read in the same transaction.</summary>
    protected Task<FannedOutEvent> FanOutAsync(string tenantId, string eventId, DateTimeOffset? at = null) =>
        Store.TransactAsync(tenantId, async tx =>
        {
            var fannedOut = new FannedOutEvent(eventId, await tx.LastNotificationSequenceAsync() + 1, at ?? Now, []);
            tx.Add(fannedOut);
            return fannedOut;
        });

    private Task<int> Write(string tenantId, Action<ITenantTransaction> write) =>
        Store.TransactAsync(tenantId, tx =>
        {
            write(tx);
            return ValueTask.FromResult(0);
        });

    private static string Json<T>(T? document)
        where T : class => StoredJson.Serialize(document);

    private static string[] JsonEach<T>(params IEnumerable<T> documents) => [.. documents.Select(d => StoredJson.Serialize(d))];

    private static NotificationEndpoint Endpoint(string tenantId, DateTimeOffset createdAt, NotificationChannel channel = NotificationChannel.Webhook) => new()
    {
        Id = NotificationEndpoint.NewId(),
        TenantId = tenantId,
        Channel = channel,
        Target = channel == NotificationChannel.Webhook ? "https://hooks.example.test/workforce" : "ops@example.test",
        Events = [NotificationEvents.TaskFailed, NotificationEvents.TaskCompleted],
        MinLevel = NotificationLevel.Warning,
        Description = "on call",
        Secrets = channel == NotificationChannel.Webhook ? [EndpointSecret.Generate(createdAt)] : [],
        FailingSince = createdAt.AddMinutes(-5),
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };

    private static NotificationDelivery Delivery(NotificationEndpoint endpoint, string eventType, DateTimeOffset at) =>
        NotificationDelivery.For(
            new NotificationEvent(NotificationEvent.NewId(), eventType, NotificationLevel.Critical, endpoint.TenantId, at,
                new Dictionary<string, object?> { ["taskId"] = Guid.CreateVersion7().ToString(), ["attempt"] = 3, ["error"] = null }) { Sequence = 7 },
            endpoint,
            at);

    private static WorkTask NewTask(string tenantId) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenantId,
        Type = "contract",
        Priority = TaskPriority.Medium,
        RequiredCapabilities = [],
        MaxRetries = 3,
        TimeoutSeconds = 300,
        CreatedAt = Now,
        UpdatedAt = Now,
    };
}

public sealed class SqliteNotificationsContract : NotificationsContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureNotificationsContract : NotificationsContract
{
    /// <summary>
    /// Forces the race the contract's concurrent test may or may not hit: another fan-out commits between this one's
    /// read of the last sequence and its commit. (On SQLite transactions run one at a time, so it cannot happen there:
    /// the inner transaction would wait for the outer.)
    /// </summary>
    [Fact]
    public async Task A_fan_out_whose_sequence_was_taken_meanwhile_runs_again_on_the_next()
    {
        var runs = 0;
        var interloper = NotificationEvent.NewId();

        var sequence = await Store.TransactAsync(TenantA, async tx =>
        {
            var last = await tx.LastNotificationSequenceAsync();
            if (++runs == 1)
            {
                await FanOutAsync(TenantA, interloper);
            }

            tx.Add(new FannedOutEvent($"evt_outer_{runs}", last + 1, Now, []));
            return last + 1;
        });

        Assert.Equal((2, 2L), (runs, sequence));
        Assert.Equal(1, (await Store.TransactAsync(TenantA, tx => tx.FindFannedOutEventAsync(interloper)))!.Sequence);
        Assert.Null(await Store.TransactAsync(TenantA, tx => tx.FindFannedOutEventAsync("evt_outer_1")));
        Assert.Equal(2, (await Store.TransactAsync(TenantA, tx => tx.FindFannedOutEventAsync("evt_outer_2")))!.Sequence);
    }

    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
