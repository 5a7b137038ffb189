using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Workforce.Core.Notifications;

namespace Workforce.Notifications.Email;

/// <summary>
/// Sends an event to an email endpoint through the configured SMTP server (<see cref="EmailOptions"/>): one
/// connection per attempt, authenticated when credentials are set, the whole attempt bounded by
/// <see cref="NotificationOptions.AttemptTimeout"/>. Every refusal and failure of the server comes back as a result;
/// the core's retry schedule decides what happens next, whether the SMTP code was transient (4xx) or permanent (5xx).
/// </summary>
public sealed class EmailChannel(IOptions<EmailOptions> options, IOptions<NotificationOptions> notificationOptions) : INotificationChannel
{
    public const string EventHeader = "X-Workforce-Event";

    public const string EventIdHeader = "X-Workforce-Event-Id";

    /// <summary>What a server answers when it has taken the message; MailKit throws for any other final reply.</summary>
    private const int Accepted = 250;

    public NotificationChannel Channel => NotificationChannel.Email;

    public async Task<ChannelResult> SendAsync(NotificationSend send, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(send);
        var email = options.Value;
        if (!email.IsConfigured)
        {
            return ChannelResult.Unreachable($"Email is not configured ({EmailOptions.Section}:Host and FromAddress).");
        }

        if (!MailboxAddress.TryParse(send.Endpoint.Target, out var recipient) || !recipient.Address.Contains('@', StringComparison.Ordinal))
        {
            return ChannelResult.Unreachable($"The endpoint's target '{send.Endpoint.Target}' is not one email address.");
        }

        var message = Compose(send, new MailboxAddress(email.FromName, email.FromAddress), recipient);
        var server = $"{email.Host}:{email.Port}";
        var timeout = notificationOptions.Value.AttemptTimeout;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        using var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(email.Host, email.Port, email.SocketOptions, attempt.Token);
            if (!string.IsNullOrWhiteSpace(email.UserName))
            {
                await client.AuthenticateAsync(email.UserName, email.Password ?? "", attempt.Token);
            }

            var reply = await client.SendAsync(message, attempt.Token);
            await QuitAsync(client, attempt.Token);
            return new(ChannelOutcome.Delivered, Accepted, reply, null);
        }
        // MailKit's own timer (set to the attempt's time) can fire just before the attempt's token does, and it reports a
        // cancelled read or connect in more than one way; once the attempt's time is up, each means that.
        catch (Exception e) when (e is TimeoutException
                                  || (e is OperationCanceledException or IOException or SocketException
                                      && attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            return ChannelResult.Unreachable($"The SMTP server {server} did not complete the attempt within {timeout}.");
        }
        catch (SmtpCommandException e)
        {
            return new(ChannelOutcome.Failed, (int)e.StatusCode, e.Message, Refusal(e, server));
        }
        catch (AuthenticationException e)
        {
            return new(ChannelOutcome.Failed, (e.InnerException as SmtpCommandException)?.StatusCode is { } status ? (int)status : null, e.Message,
                $"The SMTP server {server} refused the credentials of {email.UserName}.");
        }
        catch (ServiceNotAuthenticatedException e)
        {
            // MailKit raises it for the 530 a server answers to a sender that has not authenticated.
            return new(ChannelOutcome.Failed, (int)SmtpStatusCode.AuthenticationRequired, e.Message,
                $"The SMTP server {server} requires authentication: set {EmailOptions.Section}:UserName and Password.");
        }
        catch (NotSupportedException e)
        {
            // The server lacks what the options require, STARTTLS or AUTH: nothing was sent, in the clear or otherwise.
            return ChannelResult.Unreachable($"The SMTP server {server} cannot be used as configured: {e.Message}");
        }
        catch (SslHandshakeException e)
        {
            return ChannelResult.Unreachable($"TLS with the SMTP server {server} failed: {e.Message}");
        }
        catch (SocketException e)
        {
            return ChannelResult.Unreachable($"Could not connect to the SMTP server {server}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or ProtocolException)
        {
            return ChannelResult.Unreachable($"The connection to the SMTP server {server} failed: {e.Message}");
        }
    }

    /// <summary>
    /// The event as a MIME message: text and HTML as alternatives, and a Message-ID made of the event's and the
    /// endpoint's ids, so that every attempt and replay of one event to one endpoint is recognisably the same mail.
    /// </summary>
    private static MimeMessage Compose(NotificationSend send, MailboxAddress from, MailboxAddress recipient)
    {
        var message = new MimeMessage
        {
            Subject = send.Message.Subject,
            Date = send.At,
            MessageId = $"{send.Event.Id}.{send.Endpoint.Id}@{from.Domain}",
            Body = new BodyBuilder { TextBody = send.Message.Text, HtmlBody = send.Message.Html }.ToMessageBody(),
        };
        message.From.Add(from);
        message.To.Add(recipient);
        message.Headers.Add(EventHeader, send.Event.Type);
        message.Headers.Add(EventIdHeader, send.Event.Id);
        // RFC 3834: out-of-office and other auto-responders do not answer it.
        message.Headers.Add(HeaderId.AutoSubmitted, "auto-generated");
        return message;
    }

    private static string Refusal(SmtpCommandException e, string server)
    {
        var code = (int)e.StatusCode;
        var kind = code is >= 400 and < 500 ? "transient" : "permanent";
        return e.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => $"The SMTP server {server} refused the recipient {e.Mailbox?.Address} ({code}, {kind}).",
            SmtpErrorCode.SenderNotAccepted => $"The SMTP server {server} refused the sender {e.Mailbox?.Address} ({code}, {kind}).",
            SmtpErrorCode.MessageNotAccepted => $"The SMTP server {server} refused the message ({code}, {kind}).",
            _ => $"The SMTP server {server} answered {code} ({kind}).",
        };
    }

    /// <summary>Says goodbye after the server has taken the message; if that fails, the message is delivered all the same.</summary>
    private static async Task QuitAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (e is IOException or ProtocolException or SocketException or OperationCanceledException)
        {
            // Nothing to do: the result is the server's answer to the message, which came before.
        }
    }
}
