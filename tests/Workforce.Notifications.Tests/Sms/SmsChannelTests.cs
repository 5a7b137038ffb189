using Workforce.Core.Notifications;
using Workforce.Testing.Twilio;

namespace Workforce.Notifications.Tests.Sms;

public sealed class SmsChannelTests
{
    private const string Number = "+15558675310";

    [Fact]
    public async Task A_message_reaches_Twilio_with_the_number_the_sender_and_the_summary_authenticated_as_the_account()
    {
        await using var sms = await SmsHarness.StartAsync();
        var send = SmsHarness.SendTo(Number);

        var result = await sms.Channel.SendAsync(send);

        var message = Assert.Single(sms.Fake.Messages);
        Assert.Equal((Number, FakeTwilio.PhoneNumber, send.Message.Text), (message.To, message.From, message.Body));
        Assert.StartsWith("Workforce test notification for endpoint nep_", message.Body, StringComparison.Ordinal);
        Assert.Equal(new ChannelResult(ChannelOutcome.Delivered, 201, $"{message.Sid} queued", null), result);
        var request = Assert.Single(sms.Fake.Requests);
        Assert.Equal(("POST", $"/2010-04-01/Accounts/{FakeTwilio.AccountSid}/Messages.json", FakeTwilio.AccountSid, 201), (request.Method, request.Path, request.User, request.Status));
        Assert.Equal(["Body", "From", "To"], request.Form.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_long_event_arrives_as_the_core_cut_it_in_one_segment()
    {
        await using var sms = await SmsHarness.StartAsync();
        var failed = new NotificationEvent(NotificationEvent.NewId(), NotificationEvents.TaskFailed, NotificationLevel.Critical, "tenant-1", DateTimeOffset.UtcNow, new Dictionary<string, object?>
        {
            ["taskId"] = Guid.NewGuid().ToString(),
            ["taskType"] = "render-report",
            ["priority"] = "high",
            ["attempt"] = 3,
            ["error"] = "The upstream renderer refused the document: " + string.Concat(Enumerable.Repeat("page layout overflow; ", 12)),
        });
        var send = SmsHarness.SendTo(Number, failed);

        var result = await sms.Channel.SendAsync(send);

        Assert.Equal(ChannelOutcome.Delivered, result.Outcome);
        var message = Assert.Single(sms.Fake.Messages);
        Assert.Equal(send.Message.Text, message.Body);
        Assert.Equal(NotificationMessage.SmsLength, message.Body.Length);
        Assert.StartsWith("Task render-report (", message.Body, StringComparison.Ordinal);
        Assert.EndsWith("...", message.Body, StringComparison.Ordinal);
        Assert.Equal(1, message.NumSegments);
    }

    [Fact]
    public async Task Through_a_messaging_service_Twilio_picks_the_sender_and_accepts_the_message()
    {
        await using var sms = await SmsHarness.StartAsync(s =>
        {
            s[$"{SmsHarness.S}:From"] = null;
            s[$"{SmsHarness.S}:MessagingServiceSid"] = FakeTwilio.MessagingServiceSid;
        });

        var result = await sms.Channel.SendAsync(SmsHarness.SendTo(Number));

        var message = Assert.Single(sms.Fake.Messages);
        Assert.Equal((FakeTwilio.MessagingServiceSid, (string?)null), (message.MessagingServiceSid, message.From));
        Assert.Equal(new ChannelResult(ChannelOutcome.Delivered, 201, $"{message.Sid} accepted", null), result);
        Assert.False(Assert.Single(sms.Fake.Requests).Form.ContainsKey("From"));
    }

    [Fact]
    public async Task An_invalid_number_fails_with_400_and_Twilios_code_without_throwing()
    {
        await using var sms = await SmsHarness.StartAsync();

        var result = await sms.Channel.SendAsync(SmsHarness.SendTo("555-0100"));

        Assert.Equal((ChannelOutcome.Failed, 400, (TimeSpan?)null), (result.Outcome, result.StatusCode, result.RetryAfter));
        Assert.Equal("21211: The 'To' number 555-0100 is not a valid phone number. (https://www.twilio.com/docs/errors/21211)", result.Reply);
        Assert.Empty(sms.Fake.Messages);
    }

    [Fact]
    public async Task A_sender_that_is_not_the_accounts_fails_with_Twilios_code()
    {
        await using var sms = await SmsHarness.StartAsync(s => s[$"{SmsHarness.S}:From"] = "+15005550001");

        var result = await sms.Channel.SendAsync(SmsHarness.SendTo(Number));

        Assert.Equal((ChannelOutcome.Failed, 400), (result.Outcome, result.StatusCode));
        Assert.StartsWith("21606: The From phone number +15005550001 is not a valid", result.Reply, StringComparison.Ordinal);
        Assert.Empty(sms.Fake.Messages);
    }

    [Theory]
    [InlineData(429, "20429: Too Many Requests")]
    [InlineData(503, "20503: Service Unavailable")]
    public async Task A_throttled_or_unavailable_Twilio_fails_with_the_wait_it_asked_for(int status, string reply)
    {
        await using var sms = await SmsHarness.StartAsync();
        sms.Fake.Faults.FailNext(1, status, retryAfter: TimeSpan.FromSeconds(30));

        var result = await sms.Channel.SendAsync(SmsHarness.SendTo(Number));

        Assert.Equal((ChannelOutcome.Failed, status, TimeSpan.FromSeconds(30)), (result.Outcome, result.StatusCode, result.RetryAfter));
        Assert.StartsWith(reply, result.Reply, StringComparison.Ordinal);
        Assert.Empty(sms.Fake.Messages);
    }

    [Fact]
    public async Task A_server_error_fails_the_attempt_and_is_not_retried_by_the_channel()
    {
        await using var sms = await SmsHarness.StartAsync();
        sms.Fake.Faults.FailNext(1, 500);

        var result = await sms.Channel.SendAsync(SmsHarness.SendTo(Number));

        Assert.Equal((ChannelOutcome.Failed, 500, (TimeSpan?)null), (result.Outcome, result.StatusCode, result.RetryAfter));
        Assert.StartsWith("20500: ", result.Reply, StringComparison.Ordinal);
        // One request: retries are the core's retry schedule's, not the library's or a resilience handler's.
        Assert.Single(sms.Fake.Requests);
        Assert.Empty(sms.Fake.Messages);
    }

    [Fact]
    public async Task A_Twilio_that_does_not_answer_fails_as_unreachable_within_the_attempt_timeout()
    {
        await using var sms = await SmsHarness.StartAsync(s => s["Workforce:Notifications:AttemptTimeout"] = "00:00:01");
        sms.Fake.Faults.HangNext();

        var result = await sms.Channel.SendAsync(SmsHarness.SendTo(Number));

        Assert.Equal(ChannelResult.Unreachable("Twilio did not answer within 1 s"), result);
        Assert.Single(sms.Fake.Requests);
    }

    [Fact]
    public async Task A_Twilio_that_is_not_listening_fails_as_unreachable()
    {
        await using var sms = await SmsHarness.StartAsync();
        var closed = await FakeTwilio.StartAsync();
        await closed.DisposeAsync();
        await using var elsewhere = await SmsHarness.StartAsync(s => s[$"{SmsHarness.S}:BaseUrl"] = closed.BaseAddress.AbsoluteUri);

        var result = await elsewhere.Channel.SendAsync(SmsHarness.SendTo(Number));

        Assert.Equal((ChannelOutcome.Failed, (int?)null, (string?)null), (result.Outcome, result.StatusCode, result.Reply));
        Assert.StartsWith("Twilio could not be reached: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_credentials_fail_with_401_and_Twilios_code()
    {
        await using var sms = await SmsHarness.StartAsync(s => s[$"{SmsHarness.S}:AuthToken"] = "0000000000000000000000000000dead");

        var result = await sms.Channel.SendAsync(SmsHarness.SendTo(Number));

        Assert.Equal(new ChannelResult(ChannelOutcome.Failed, 401, "20003: Authenticate (https://www.twilio.com/docs/errors/20003)", null), result);
        Assert.Equal(FakeTwilio.AccountSid, Assert.Single(sms.Fake.Requests).User);
        Assert.Empty(sms.Fake.Messages);
    }

    [Fact]
    public async Task Without_an_account_nothing_is_sent_and_the_delivery_fails_saying_so()
    {
        await using var sms = await SmsHarness.StartAsync(s =>
        {
            s[$"{SmsHarness.S}:AccountSid"] = null;
            s[$"{SmsHarness.S}:AuthToken"] = null;
        });

        var result = await sms.Channel.SendAsync(SmsHarness.SendTo(Number));

        Assert.Equal(new ChannelResult(ChannelOutcome.Failed, null, null, "SMS is not configured (Workforce:Notifications:Sms:AccountSid)"), result);
        Assert.Empty(sms.Fake.Requests);
    }

    [Fact]
    public async Task Cancelling_an_attempt_throws_instead_of_reporting_a_failure()
    {
        await using var sms = await SmsHarness.StartAsync(s => s["Workforce:Notifications:AttemptTimeout"] = "00:05:00");
        sms.Fake.Faults.HangNext();
        using var cancellation = new CancellationTokenSource();

        var sending = sms.Channel.SendAsync(SmsHarness.SendTo(Number), cancellation.Token);
        while (sms.Fake.Requests.Count == 0)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }
}
