using Workforce.Core.Notifications;
using Workforce.Notifications.Webhooks;
using Workforce.Testing.Webhooks;

namespace Workforce.Notifications.Tests.Webhooks;

/// <summary>The webhook channel against a real receiver on loopback that verifies signatures as the Standard Webhooks specification says.</summary>
public sealed class WebhookChannelTests : IAsyncLifetime
{
    private static readonly DateTimeOffset CreatedAt = DateTimeOffset.UtcNow.AddDays(-1);

    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_delivery_is_signed_so_that_a_receiver_following_the_specification_verifies_it()
    {
        var endpoint = Endpoint();
        _receiver.Trust(endpoint.Secrets[0].Value);
        var failed = Event();

        var result = await Channel().SendAsync(Send(endpoint, failed));

        Assert.Equal((ChannelOutcome.Delivered, 204), (result.Outcome, result.StatusCode));
        var received = Assert.Single(_receiver.Received);
        Assert.True(received.Verified);
        Assert.Equal(failed.Id, received.Id);
        Assert.Equal(NotificationEvents.TaskFailed, received.Json["type"]!.GetValue<string>());
        Assert.Equal(7, received.Json["sequence"]!.GetValue<long>());
        Assert.Equal("model timed out", received.Json["data"]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_receiver_that_trusts_another_secret_does_not_verify_the_delivery()
    {
        _receiver.Trust(EndpointSecret.Generate(CreatedAt).Value);

        await Channel().SendAsync(Send(Endpoint(), Event()));

        Assert.False(Assert.Single(_receiver.Received).Verified);
    }

    [Fact]
    public async Task During_a_rotation_both_secrets_sign_so_a_receiver_on_either_verifies()
    {
        var before = Endpoint();
        var rotated = before.RotateSecret(EndpointSecret.Generate(DateTimeOffset.UtcNow), TimeSpan.FromHours(24));

        _receiver.Trust(before.Secrets[0].Value);
        await Channel().SendAsync(Send(rotated, Event()));
        _receiver.Trust(rotated.Secrets[0].Value);
        await Channel().SendAsync(Send(rotated, Event()));

        Assert.All(_receiver.Received, r => Assert.Equal(2, r.SignatureCount));
        Assert.All(_receiver.Received, r => Assert.True(r.Verified));
    }

    [Fact]
    public async Task Once_the_rotation_overlap_has_passed_only_the_new_secret_signs()
    {
        var before = Endpoint();
        var rotated = before.RotateSecret(EndpointSecret.Generate(DateTimeOffset.UtcNow.AddHours(-2)), TimeSpan.FromHours(1));
        _receiver.Trust(before.Secrets[0].Value);

        await Channel().SendAsync(Send(rotated, Event()));

        var received = Assert.Single(_receiver.Received);
        Assert.Equal(1, received.SignatureCount);
        Assert.False(received.Verified);
    }

    [Fact]
    public async Task Gone_disables_and_other_failures_carry_the_status_and_the_wait_the_receiver_asked_for()
    {
        var endpoint = Endpoint();
        _receiver.AnswerNext(410);
        _receiver.AnswerNext(503, retryAfter: TimeSpan.FromSeconds(120));
        _receiver.AnswerNext(500);

        var gone = await Channel().SendAsync(Send(endpoint, Event()));
        var unavailable = await Channel().SendAsync(Send(endpoint, Event()));
        var broken = await Channel().SendAsync(Send(endpoint, Event()));

        Assert.Equal((ChannelOutcome.Gone, 410), (gone.Outcome, gone.StatusCode));
        Assert.Equal((ChannelOutcome.Failed, 503, TimeSpan.FromSeconds(120)), (unavailable.Outcome, unavailable.StatusCode, unavailable.RetryAfter));
        Assert.Equal((ChannelOutcome.Failed, 500), (broken.Outcome, broken.StatusCode));
        Assert.Null(broken.RetryAfter);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_fails_the_attempt_at_its_time_limit()
    {
        _receiver.HangNext();

        var result = await Channel(attemptTimeout: TimeSpan.FromSeconds(1)).SendAsync(Send(Endpoint(), Event()));

        Assert.Equal(ChannelOutcome.Failed, result.Outcome);
        Assert.Null(result.StatusCode);
        Assert.Contains("No answer within 1 s", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_not_connected_to_unless_private_targets_are_allowed()
    {
        var byName = Endpoint() with { Target = new UriBuilder(_receiver.Url) { Host = "localhost" }.Uri.AbsoluteUri };

        var refused = await Channel(allowPrivate: false).SendAsync(Send(byName, Event()));

        Assert.Equal(ChannelOutcome.Failed, refused.Outcome);
        Assert.Contains("private, loopback or link-local", refused.Error, StringComparison.Ordinal);
        Assert.Empty(_receiver.Received);
    }

    private static WebhookChannel Channel(bool allowPrivate = true, TimeSpan? attemptTimeout = null)
    {
        var options = new NotificationOptions { AllowPrivateTargets = allowPrivate, AllowHttpTargets = true };
        return new WebhookChannel(new HttpClient(WebhookConnections.Handler(options)) { Timeout = attemptTimeout ?? options.AttemptTimeout });
    }

    private NotificationEndpoint Endpoint() => new()
    {
        Id = NotificationEndpoint.NewId(),
        TenantId = "acme",
        Channel = NotificationChannel.Webhook,
        Target = _receiver.Url.AbsoluteUri,
        Secrets = [EndpointSecret.Generate(CreatedAt)],
        CreatedAt = CreatedAt,
    };

    private static NotificationEvent Event() =>
        new(NotificationEvent.NewId(), NotificationEvents.TaskFailed, NotificationLevel.Critical, "acme", DateTimeOffset.UtcNow,
            new Dictionary<string, object?> { ["taskId"] = Guid.NewGuid().ToString(), ["taskType"] = "translate", ["attempt"] = 3, ["error"] = "model timed out" })
        {
            Sequence = 7,
        };

    private static NotificationSend Send(NotificationEndpoint endpoint, NotificationEvent notification) =>
        new(endpoint, notification, NotificationMessage.Render(notification, NotificationChannel.Webhook, null), DateTimeOffset.UtcNow);
}
