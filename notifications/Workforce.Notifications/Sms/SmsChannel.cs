using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;
using Workforce.Core.Notifications;
using TwilioTransport = Twilio.Http.SystemNetHttpClient;
using TwilioResponse = Twilio.Http.Response;

namespace Workforce.Notifications.Sms;

/// <summary>
/// Sends an event's summary line (<see cref="NotificationMessage.Text"/>, already one segment) to the endpoint's
/// number through Twilio's Messages resource with Twilio's official library: <c>POST
/// /2010-04-01/Accounts/{AccountSid}/Messages.json</c> with To, From or MessagingServiceSid, and Body, authenticated
/// as AccountSid:AuthToken. One call is one attempt: neither the library (it has no retries) nor a resilience handler
/// tries again, because the core's durable retry schedule owns retries, spacing them over hours and honouring
/// <c>Retry-After</c>; a retry here would also risk sending the same text twice. Failures of Twilio or of the
/// network come back as results, never as exceptions; only the caller's cancellation throws.
/// </summary>
internal sealed class SmsChannel(IHttpClientFactory httpClients, IOptions<SmsOptions> options, IOptions<NotificationOptions> notificationOptions, TimeProvider time)
    : INotificationChannel
{
    public const string HttpClientName = "Workforce.Notifications.Sms";

    /// <summary>Statuses of a message Twilio has taken on: it is Twilio's to deliver now (a Messaging Service answers accepted).</summary>
    private static readonly HashSet<string> TakenOn = new(StringComparer.Ordinal) { "queued", "accepted", "sending", "sent", "delivered" };

    private const int MaxReplyLength = 300;

    public NotificationChannel Channel => NotificationChannel.Sms;

    public async Task<ChannelResult> SendAsync(NotificationSend send, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(send);
        var sms = options.Value;
        if (!sms.IsConfigured)
        {
            return new ChannelResult(ChannelOutcome.Failed, null, null, $"SMS is not configured ({SmsOptions.Section}:AccountSid)");
        }

        var timeout = notificationOptions.Value.AttemptTimeout;
        using var http = httpClients.CreateClient(HttpClientName);
        http.Timeout = timeout;
        // The library passes no cancellation token to SendAsync: cancelling this client's pending request is how the
        // caller's token reaches the wire.
        await using var cancellation = cancellationToken.Register(http.CancelPendingRequests);
        // One transport per attempt, so that LastResponse (the only place the library keeps the status and headers of
        // an error answer, Retry-After among them) is this attempt's.
        var transport = new TwilioTransport(http);
        var client = new TwilioRestClient(sms.AccountSid, sms.AuthToken, httpClient: transport);
        var message = new CreateMessageOptions(new PhoneNumber(send.Endpoint.Target))
        {
            Body = send.Message.Text,
            From = string.IsNullOrWhiteSpace(sms.From) ? null : new PhoneNumber(sms.From),
            MessagingServiceSid = string.IsNullOrWhiteSpace(sms.MessagingServiceSid) ? null : sms.MessagingServiceSid,
        };

        try
        {
            var created = await MessageResource.CreateWithHeadersAsync(message, client);
            return Created((int)created.StatusCode, created.Data);
        }
        catch (TwilioException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The SMS attempt was cancelled.", e, cancellationToken);
        }
        catch (ApiConnectionException e)
        {
            return ChannelResult.Unreachable(e.InnerException is TaskCanceledException
                ? $"Twilio did not answer within {timeout.TotalSeconds:0.###} s"
                : $"Twilio could not be reached: {(e.InnerException?.GetBaseException() ?? e).Message}");
        }
        catch (TwilioException e) when (transport.LastResponse is { } answer)
        {
            return Answered(answer, e);
        }
    }

    private static ChannelResult Created(int status, MessageResource message)
    {
        var state = message.Status?.ToString() ?? "unknown";
        return TakenOn.Contains(state)
            ? new ChannelResult(ChannelOutcome.Delivered, status, $"{message.Sid} {state}", null)
            : new ChannelResult(ChannelOutcome.Failed, status, Shorten($"{message.Sid} {state}: {message.ErrorCode} {message.ErrorMessage}"), null);
    }

    /// <summary>Twilio answered, but not with a message it created: its error (<c>code</c>, <c>message</c>, <c>more_info</c>) and any wait it asked for.</summary>
    private ChannelResult Answered(TwilioResponse answer, TwilioException error)
    {
        var status = (int)answer.StatusCode;
        if (status is >= 200 and < 300)
        {
            // Created, though the answer could not be read: sending it again would send the text twice.
            return new ChannelResult(ChannelOutcome.Delivered, status, Shorten($"created; the answer was unreadable: {error.Message}"), null);
        }

        var reply = error switch
        {
            ApiException { Code: > 0 } api => $"{api.Code}: {api.Message}" + (string.IsNullOrEmpty(api.MoreInfo) ? "" : $" ({api.MoreInfo})"),
            ApiStandardException { Code: > 0 } problem => $"{problem.Code}: {problem.Title}" + (string.IsNullOrEmpty(problem.Detail) ? "" : $" ({problem.Detail})"),
            _ => string.IsNullOrWhiteSpace(answer.Content) ? $"HTTP {status}" : answer.Content.Trim(),
        };
        return new ChannelResult(ChannelOutcome.Failed, status, Shorten(reply), null, RetryAfter(answer.Headers?.RetryAfter));
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };

    private static string Shorten(string reply) => reply.Length <= MaxReplyLength ? reply : string.Concat(reply.AsSpan(0, MaxReplyLength - 3), "...");
}
