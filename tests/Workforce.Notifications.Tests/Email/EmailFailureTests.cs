using System.Net;
using System.Net.Sockets;
using Workforce.Core.Notifications;
using Workforce.Notifications.Email;

namespace Workforce.Notifications.Tests.Email;

/// <summary>Refusals and failures of the SMTP peer come back as results, never as exceptions.</summary>
public sealed class EmailFailureTests
{
    private static EmailOptions Scripted(int port) => new() { Host = "127.0.0.1", Port = port, Security = EmailSecurity.None, FromAddress = "notifications@workforce.test" };

    [Theory]
    [InlineData("550 5.1.1 <{0}>: Recipient address rejected: User unknown", 550, "refused the recipient {0} (550, permanent)")]
    [InlineData("452 4.2.2 <{0}>: Mailbox full, try again later", 452, "refused the recipient {0} (452, transient)")]
    public async Task A_refused_recipient_fails_with_the_servers_code_and_text(string reply, int code, string error)
    {
        var recipient = EmailSends.NewRecipient();
        await using var server = ScriptedSmtpServer.Answering(rcptReply: string.Format(null, reply, recipient));

        var result = await EmailHarness.Channel(Scripted(server.Port)).SendAsync(EmailSends.TaskFailed(recipient), TestContext.Current.CancellationToken);

        Assert.Equal(ChannelOutcome.Failed, result.Outcome);
        Assert.Equal(code, result.StatusCode);
        Assert.Equal(string.Format(null, reply, recipient)[4..], result.Reply);
        Assert.Contains(string.Format(null, error, recipient), result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Commands, c => c.Equals("DATA", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_message_refused_after_its_data_fails_with_the_servers_code()
    {
        await using var server = ScriptedSmtpServer.Answering(dataReply: "554 5.7.1 Message rejected as spam");

        var result = await EmailHarness.Channel(Scripted(server.Port)).SendAsync(EmailSends.TaskFailed(EmailSends.NewRecipient()), TestContext.Current.CancellationToken);

        Assert.Equal(new ChannelResult(ChannelOutcome.Failed, 554, "5.7.1 Message rejected as spam", "The SMTP server 127.0.0.1:" + server.Port + " refused the message (554, permanent)."), result);
    }

    [Fact]
    public async Task A_server_that_takes_the_message_is_a_delivery_with_its_final_reply()
    {
        await using var server = ScriptedSmtpServer.Answering(dataReply: "250 2.0.0 Ok: queued as 4BqXk93");

        var result = await EmailHarness.Channel(Scripted(server.Port)).SendAsync(EmailSends.TaskFailed(EmailSends.NewRecipient()), TestContext.Current.CancellationToken);

        Assert.Equal(new ChannelResult(ChannelOutcome.Delivered, 250, "2.0.0 Ok: queued as 4BqXk93", null), result);
        Assert.Equal("QUIT", server.Commands.Last());
    }

    [Fact]
    public async Task A_server_nobody_listens_for_is_unreachable()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var result = await EmailHarness.Channel(Scripted(port)).SendAsync(EmailSends.TaskFailed(EmailSends.NewRecipient()), TestContext.Current.CancellationToken);

        Assert.Equal(ChannelOutcome.Failed, result.Outcome);
        Assert.Null(result.StatusCode);
        Assert.StartsWith($"Could not connect to the SMTP server 127.0.0.1:{port}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_the_attempt_when_its_time_is_up()
    {
        await using var server = ScriptedSmtpServer.Silent();

        var result = await EmailHarness.Channel(Scripted(server.Port), attemptTimeout: TimeSpan.FromSeconds(1))
            .SendAsync(EmailSends.TaskFailed(EmailSends.NewRecipient()), TestContext.Current.CancellationToken);

        Assert.Equal(ChannelOutcome.Failed, result.Outcome);
        Assert.Null(result.StatusCode);
        Assert.Equal($"The SMTP server 127.0.0.1:{server.Port} did not complete the attempt within 00:00:01.", result.Error);
    }

    [Fact]
    public async Task A_send_the_caller_cancels_throws_instead_of_blaming_the_server()
    {
        await using var server = ScriptedSmtpServer.Silent();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => EmailHarness.Channel(Scripted(server.Port)).SendAsync(EmailSends.TaskFailed(EmailSends.NewRecipient()), cancelled.Token));
    }

    [Fact]
    public async Task Without_a_configured_server_every_send_fails_saying_so()
    {
        var result = await EmailHarness.Channel(new EmailOptions()).SendAsync(EmailSends.TaskFailed(EmailSends.NewRecipient()), TestContext.Current.CancellationToken);

        Assert.Equal(ChannelResult.Unreachable("Email is not configured (Workforce:Notifications:Email:Host and FromAddress)."), result);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("ops@tenant.example, boss@tenant.example")]
    public async Task A_target_that_is_not_one_address_is_not_sent(string target)
    {
        await using var server = ScriptedSmtpServer.Answering();

        var result = await EmailHarness.Channel(Scripted(server.Port)).SendAsync(EmailSends.TaskFailed(target), TestContext.Current.CancellationToken);

        Assert.Equal(ChannelOutcome.Failed, result.Outcome);
        Assert.Contains("is not one email address", result.Error, StringComparison.Ordinal);
        Assert.Empty(server.Commands);
    }
}
