using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Core.Notifications;
using Workforce.Core.Queues;
using Workforce.Core.Storage;

namespace Workforce.Core.Tests.Notifications;

/// <summary>Fan-out and attempts over the in-memory store, a scripted channel and a fake clock: the retry schedule, Retry-After, 410 and disabling.</summary>
public sealed class DeliveryTests
{
    private readonly Platform _platform = new();
    private readonly ScriptedChannel _channel = new();
    private readonly RecordingRunner _runner = new();
    private readonly NotificationOptions _options = new() { RetryJitter = 0, AllowPrivateTargets = true, AllowHttpTargets = true };

    [Fact]
    public async Task An_event_gets_the_next_sequence_and_a_delivery_for_each_endpoint_that_wants_it_once()
    {
        var everything = await CreateAsync();
        var criticalOnly = await CreateAsync(minLevel: NotificationLevel.Critical);
        var agentsOnly = await CreateAsync(events: [NotificationEvents.AgentOffline]);

        var first = await FanOut().ExecuteAsync(Event(NotificationEvents.QuotaWarning, NotificationLevel.Warning));
        var critical = Event(NotificationEvents.TaskFailed, NotificationLevel.Critical);
        var second = await FanOut().ExecuteAsync(critical);
        var again = await FanOut().ExecuteAsync(critical);

        Assert.Equal([everything.Id], first.Select(d => d.EndpointId));
        Assert.Equal(new[] { everything.Id, criticalOnly.Id }.Order(), second.Select(d => d.EndpointId).Order());
        Assert.DoesNotContain(second, d => d.EndpointId == agentsOnly.Id);
        Assert.Equal((1, 2), (first[0].Event.Sequence, second[0].Event.Sequence));
        Assert.Equal(second.Select(d => d.Id).Order(), again.Select(d => d.Id).Order());
        Assert.Equal(2, again[0].Event.Sequence);
        // Each run is started for the first fan-out and again for the repeat, which the runner dedupes by run id.
        Assert.Equal(3, _runner.Started.Select(d => d.RunId).Distinct().Count());
    }

    [Fact]
    public async Task Opt_in_events_reach_only_endpoints_that_name_them()
    {
        await CreateAsync();
        var named = await CreateAsync(events: [NotificationEvents.TaskCompleted]);

        var deliveries = await FanOut().ExecuteAsync(Event(NotificationEvents.TaskCompleted, NotificationLevel.Info));

        Assert.Equal(named.Id, Assert.Single(deliveries).EndpointId);
    }

    [Fact]
    public async Task A_failed_attempt_is_recorded_and_the_next_is_due_on_the_schedule()
    {
        await CreateAsync();
        var delivery = Assert.Single(await FanOut().ExecuteAsync(Event(NotificationEvents.TaskFailed, NotificationLevel.Critical)));
        _channel.Next(new ChannelResult(ChannelOutcome.Failed, 500, "boom", "The endpoint answered 500."));
        _channel.Next(new ChannelResult(ChannelOutcome.Failed, 502, null, "The endpoint answered 502."));

        var first = await Attempt().ExecuteAsync(Platform.TenantId, delivery.Id, 1);
        _platform.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await Attempt().ExecuteAsync(Platform.TenantId, delivery.Id, first.NextAttempt);

        var now = _platform.Clock.GetUtcNow();
        Assert.Equal((DeliveryStatus.Pending, 2, now), (first.Status, first.NextAttempt, first.NextAttemptAt));
        Assert.Equal((DeliveryStatus.Pending, 3, now + TimeSpan.FromMinutes(5)), (second.Status, second.NextAttempt, second.NextAttemptAt));
        var stored = await Stored(delivery.Id);
        Assert.Equal([500, 502], stored.Attempts.Select(a => a.StatusCode!.Value));
        Assert.Equal("boom", stored.Attempts[0].Reply);
    }

    [Fact]
    public async Task An_attempt_that_was_recorded_already_is_not_sent_again()
    {
        await CreateAsync();
        var delivery = Assert.Single(await FanOut().ExecuteAsync(Event(NotificationEvents.TaskFailed, NotificationLevel.Critical)));

        await Attempt().ExecuteAsync(Platform.TenantId, delivery.Id, 1);
        var replayed = await Attempt().ExecuteAsync(Platform.TenantId, delivery.Id, 1);

        Assert.Single(_channel.Sent);
        Assert.Equal(DeliveryStatus.Succeeded, replayed.Status);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_schedule_is_honoured()
    {
        await CreateAsync();
        var delivery = Assert.Single(await FanOut().ExecuteAsync(Event(NotificationEvents.TaskFailed, NotificationLevel.Critical)));
        _channel.Next(new ChannelResult(ChannelOutcome.Failed, 429, null, "Too many requests.", TimeSpan.FromMinutes(3)));

        var step = await Attempt().ExecuteAsync(Platform.TenantId, delivery.Id, 1);

        Assert.Equal(_platform.Clock.GetUtcNow() + TimeSpan.FromMinutes(3), step.NextAttemptAt);
    }

    [Fact]
    public async Task When_the_schedule_runs_out_the_delivery_fails_and_a_retry_starts_a_fresh_run()
    {
        _options.RetrySchedule = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];
        await CreateAsync();
        var delivery = Assert.Single(await FanOut().ExecuteAsync(Event(NotificationEvents.TaskFailed, NotificationLevel.Critical)));
        var step = new DeliveryStep(DeliveryStatus.Pending, 1, null);
        for (var i = 0; i < 3; i++)
        {
            _channel.Next(ChannelResult.Unreachable("Connection refused."));
            step = await Attempt().ExecuteAsync(Platform.TenantId, delivery.Id, step.NextAttempt);
        }

        var retried = await new RetryDelivery(_platform.Store, _runner, _platform.Clock).ExecuteAsync(Platform.Tenant, delivery.Id);
        var afterRetry = await Attempt().ExecuteAsync(Platform.TenantId, delivery.Id, retried.Value!.RunStartsAfter + 1);

        Assert.Equal((DeliveryStatus.Failed, null), (step.Status, step.NextAttemptAt));
        Assert.Equal((DeliveryStatus.Pending, 1, $"{delivery.Id}-resend-1"), (retried.Value.Status, retried.Value.Resends, retried.Value.RunId));
        Assert.Equal(DeliveryStatus.Succeeded, afterRetry.Status);
        Assert.Equal(4, (await Stored(delivery.Id)).Attempts.Count);
    }

    [Fact]
    public async Task Gone_disables_the_endpoint_raises_endpoint_disabled_and_its_other_deliveries_give_up()
    {
        var endpoint = await CreateAsync();
        var deliveries = new List<NotificationDelivery>();
        for (var i = 0; i < 2; i++)
        {
            deliveries.AddRange(await FanOut().ExecuteAsync(Event(NotificationEvents.TaskFailed, NotificationLevel.Critical)));
        }

        _channel.Next(new ChannelResult(ChannelOutcome.Gone, 410, null, "The endpoint answered 410 Gone."));
        var gone = await Attempt().ExecuteAsync(Platform.TenantId, deliveries[0].Id, 1);
        var other = await Attempt().ExecuteAsync(Platform.TenantId, deliveries[1].Id, 1);

        Assert.Equal((DeliveryStatus.Failed, DeliveryStatus.Failed), (gone.Status, other.Status));
        Assert.Single(_channel.Sent);
        var disabled = (await _platform.Store.ListNotificationEndpointsAsync(Platform.TenantId)).Single(e => e.Id == endpoint.Id);
        Assert.Equal((EndpointStatus.Disabled, "It answered 410 Gone."), (disabled.Status, disabled.DisabledReason));
        var raised = RaisedEvents().Single(e => e.Type == NotificationEvents.EndpointDisabled);
        Assert.Equal(endpoint.Id, raised.Data["endpointId"]!.ToString());
        Assert.Contains("disabled", (await Stored(deliveries[1].Id)).Attempts.Single().Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_failing_for_five_days_without_a_success_is_disabled_and_a_success_resets_the_count()
    {
        var endpoint = await CreateAsync();
        _channel.Next(ChannelResult.Unreachable("Connection refused."));
        await Deliver();
        _channel.Next(new ChannelResult(ChannelOutcome.Delivered, 200, null, null));
        await Deliver();
        var recovered = await EndpointAsync(endpoint.Id);

        _channel.Next(ChannelResult.Unreachable("Connection refused."));
        await Deliver();
        _platform.Clock.Advance(TimeSpan.FromDays(5) - TimeSpan.FromMinutes(1));
        _channel.Next(ChannelResult.Unreachable("Connection refused."));
        await Deliver();
        var stillEnabled = await EndpointAsync(endpoint.Id);
        _platform.Clock.Advance(TimeSpan.FromMinutes(1));
        _channel.Next(ChannelResult.Unreachable("Connection refused."));
        await Deliver();

        Assert.Null(recovered.FailingSince);
        Assert.True(stillEnabled.IsEnabled);
        var disabled = await EndpointAsync(endpoint.Id);
        Assert.False(disabled.IsEnabled);
        Assert.StartsWith("Its deliveries have failed since", disabled.DisabledReason, StringComparison.Ordinal);
        Assert.Single(RaisedEvents(), e => e.Type == NotificationEvents.EndpointDisabled);
    }

    [Fact]
    public async Task Replaying_an_endpoint_resends_only_its_failed_deliveries_since_the_time_given()
    {
        _options.RetrySchedule = [TimeSpan.FromSeconds(1)];
        await CreateAsync();
        var old = Assert.Single(await FanOut().ExecuteAsync(Event(NotificationEvents.TaskFailed, NotificationLevel.Critical)));
        await FailForGoodAsync(old);
        _platform.Clock.Advance(TimeSpan.FromHours(1));
        var since = _platform.Clock.GetUtcNow();
        var recent = Assert.Single(await FanOut().ExecuteAsync(Event(NotificationEvents.TaskFailed, NotificationLevel.Critical)));
        await FailForGoodAsync(recent);
        var delivered = Assert.Single(await FanOut().ExecuteAsync(Event(NotificationEvents.TaskFailed, NotificationLevel.Critical)));
        await Attempt().ExecuteAsync(Platform.TenantId, delivered.Id, 1);
        _runner.Started.Clear();

        var replayed = await new ReplayEndpoint(_platform.Store, _runner, _platform.Clock).ExecuteAsync(Platform.Tenant, recent.EndpointId, since);

        Assert.Equal(1, replayed.Value);
        Assert.Equal(recent.Id, Assert.Single(_runner.Started).Id);
        Assert.Equal(DeliveryStatus.Failed, (await Stored(old.Id)).Status);
    }

    private async Task FailForGoodAsync(NotificationDelivery delivery)
    {
        var step = new DeliveryStep(DeliveryStatus.Pending, 1, null);
        while (step.Status == DeliveryStatus.Pending)
        {
            _channel.Next(ChannelResult.Unreachable("Connection refused."));
            step = await Attempt().ExecuteAsync(Platform.TenantId, delivery.Id, step.NextAttempt);
        }
    }

    private async Task Deliver()
    {
        var delivery = Assert.Single(await FanOut().ExecuteAsync(Event(NotificationEvents.TaskFailed, NotificationLevel.Critical)));
        await Attempt().ExecuteAsync(Platform.TenantId, delivery.Id, 1);
    }

    private async Task<NotificationEndpoint> CreateAsync(NotificationLevel? minLevel = null, IReadOnlyList<string>? events = null)
    {
        var create = new CreateNotificationEndpoint(_platform.Store, _options, new NotificationInterest(_platform.Store, _platform.Clock), _platform.Clock);
        var outcome = await create.ExecuteAsync(Platform.Tenant, new CreateNotificationEndpointCommand(NotificationChannel.Webhook, "http://127.0.0.1:9/hooks", events, minLevel));
        return outcome.Value ?? throw new InvalidOperationException(outcome.Failure!.Detail);
    }

    private async Task<NotificationEndpoint> EndpointAsync(string id) =>
        (await _platform.Store.ListNotificationEndpointsAsync(Platform.TenantId)).Single(e => e.Id == id);

    private async Task<NotificationDelivery> Stored(string id) => (await _platform.Store.FindDeliveryAsync(Platform.TenantId, id))!;

    private FanOutNotification FanOut() => new(_platform.Store, _runner, [], _platform.Clock, NullLogger<FanOutNotification>.Instance);

    private AttemptDelivery Attempt() =>
        new(_platform.Store, [_channel], new DeliverySchedule(_options), _options, _platform.Clock, NullLogger<AttemptDelivery>.Instance);

    private NotificationEvent Event(string type, NotificationLevel level) =>
        new(NotificationEvent.NewId(), type, level, Platform.TenantId, _platform.Clock.GetUtcNow(), new Dictionary<string, object?> { ["taskId"] = "t-1" });

    private List<NotificationEvent> RaisedEvents() =>
        [.. _platform.Store.SentMessages.Where(m => m.Queue is WorkQueues.Notifications or WorkQueues.NotificationsCritical).Select(m => StoredJson.Deserialize<NotificationEvent>(m.Body))];

    /// <summary>Answers each send with the next scripted result, or delivered when none is left.</summary>
    private sealed class ScriptedChannel : INotificationChannel
    {
        private readonly Queue<ChannelResult> _results = new();

        public List<NotificationSend> Sent { get; } = [];

        public NotificationChannel Channel => NotificationChannel.Webhook;

        public void Next(ChannelResult result) => _results.Enqueue(result);

        public Task<ChannelResult> SendAsync(NotificationSend send, CancellationToken cancellationToken = default)
        {
            Sent.Add(send);
            return Task.FromResult(_results.TryDequeue(out var result) ? result : new ChannelResult(ChannelOutcome.Delivered, 204, null, null));
        }
    }

    private sealed class RecordingRunner : IDeliveryRunner
    {
        public List<NotificationDelivery> Started { get; } = [];

        public Task StartAsync(NotificationDelivery delivery, CancellationToken cancellationToken = default)
        {
            Started.Add(delivery);
            return Task.CompletedTask;
        }
    }
}
