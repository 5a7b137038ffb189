using MimeKit;
using Workforce.Core.Notifications;
using Workforce.Notifications.Email;

namespace Workforce.Notifications.Tests.Email;

/// <summary>The email channel against MailDev, a real SMTP server (test.sh starts it), read back through its API.</summary>
public sealed class EmailDeliveryTests
{
    [Fact]
    public async Task An_event_arrives_with_its_subject_both_bodies_its_headers_and_the_configured_sender()
    {
        var recipient = EmailSends.NewRecipient();
        var send = EmailSends.TaskFailed(recipient, error: "exit code 3");

        var result = await EmailHarness.Channel(MailDev.Options()).SendAsync(send, TestContext.Current.CancellationToken);

        var received = Assert.Single(await MailDev.ReceivedAsync(recipient));
        Assert.Equal(new ChannelResult(ChannelOutcome.Delivered, 250, $"Message queued as {received.Id}", null), result);
        Assert.Equal("Task render-report (6f1c2a9e-0000-4000-8000-000000000001) failed after 3 attempt(s): exit code 3", received.Parsed.GetProperty("subject").GetString());
        var from = Assert.Single(received.Parsed.GetProperty("from").EnumerateArray());
        Assert.Equal((MailDev.From, "Workforce Alerts"), (from.GetProperty("address").GetString(), from.GetProperty("name").GetString()));
        Assert.Equal(send.Message.Text, received.Parsed.GetProperty("text").GetString()!.TrimEnd());
        Assert.Equal(send.Message.Html, received.Parsed.GetProperty("html").GetString()!.TrimEnd());
        Assert.Equal(NotificationEvents.TaskFailed, received.Header(EmailChannel.EventHeader));
        Assert.Equal(send.Event.Id, received.Header(EmailChannel.EventIdHeader));
        Assert.Equal("auto-generated", received.Header("Auto-Submitted"));
        Assert.Equal($"{send.Event.Id}.{send.Endpoint.Id}@workforce.test", received.Source.MessageId);
        Assert.Equal(EmailSends.At, received.Source.Date);

        var alternatives = Assert.IsType<MultipartAlternative>(received.Source.Body);
        Assert.Equal(["text/plain", "text/html"], alternatives.Select(part => part.ContentType.MimeType));
    }

    [Fact]
    public async Task Tenant_data_arrives_escaped_in_the_HTML_part_and_as_written_in_the_text_part()
    {
        var recipient = EmailSends.NewRecipient();
        const string error = "<script>alert('owned')</script> & <b>more</b>";

        await EmailHarness.Channel(MailDev.Options()).SendAsync(EmailSends.TaskFailed(recipient, error), TestContext.Current.CancellationToken);

        var received = Assert.Single(await MailDev.ReceivedAsync(recipient));
        Assert.Contains("Error: &lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;", received.Source.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", received.Source.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", received.Source.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"Error: {error}", received.Source.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_attempt_of_one_event_to_one_endpoint_carries_the_same_Message_ID()
    {
        var recipient = EmailSends.NewRecipient();
        var first = EmailSends.TaskFailed(recipient);
        var channel = EmailHarness.Channel(MailDev.Options());

        await channel.SendAsync(first, TestContext.Current.CancellationToken);
        await channel.SendAsync(first with { At = first.At.AddMinutes(5) }, TestContext.Current.CancellationToken);
        await channel.SendAsync(first with { Endpoint = first.Endpoint with { Id = NotificationEndpoint.NewId() } }, TestContext.Current.CancellationToken);

        var ids = (await MailDev.ReceivedAsync(recipient)).Select(r => r.Source.MessageId).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual(ids[0], ids[2]);
    }

    [Fact]
    public async Task Without_credentials_a_server_that_requires_them_refuses_the_sender_and_nothing_arrives()
    {
        var recipient = EmailSends.NewRecipient();
        var options = MailDev.Options();
        options.UserName = null;
        options.Password = null;

        var result = await EmailHarness.Channel(options).SendAsync(EmailSends.TaskFailed(recipient), TestContext.Current.CancellationToken);

        Assert.Equal(ChannelOutcome.Failed, result.Outcome);
        Assert.Equal(530, result.StatusCode);
        Assert.Contains("requires authentication", result.Error, StringComparison.Ordinal);
        Assert.Empty(await MailDev.ReceivedAsync(recipient));
    }

    [Fact]
    public async Task Credentials_the_server_refuses_fail_the_attempt_and_nothing_arrives()
    {
        var recipient = EmailSends.NewRecipient();
        var options = MailDev.Options();
        options.Password = "not-the-password";

        var result = await EmailHarness.Channel(options).SendAsync(EmailSends.TaskFailed(recipient), TestContext.Current.CancellationToken);

        Assert.Equal(ChannelOutcome.Failed, result.Outcome);
        Assert.Equal(535, result.StatusCode);
        Assert.Contains($"refused the credentials of {MailDev.UserName}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", $"{result.Reply} {result.Error}", StringComparison.Ordinal);
        Assert.Empty(await MailDev.ReceivedAsync(recipient));
    }

    [Fact]
    public async Task StartTls_required_of_a_server_that_does_not_offer_it_sends_nothing_in_the_clear()
    {
        var recipient = EmailSends.NewRecipient();
        var options = MailDev.Options();
        options.Security = EmailSecurity.StartTls;

        var result = await EmailHarness.Channel(options).SendAsync(EmailSends.TaskFailed(recipient), TestContext.Current.CancellationToken);

        Assert.Equal(ChannelOutcome.Failed, result.Outcome);
        Assert.Contains("STARTTLS", result.Error, StringComparison.Ordinal);
        Assert.Empty(await MailDev.ReceivedAsync(recipient));
    }
}
