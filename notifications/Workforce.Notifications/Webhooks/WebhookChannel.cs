using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Workforce.Core.Notifications;

namespace Workforce.Notifications.Webhooks;

/// <summary>
/// Sends an event to a webhook endpoint as Standard Webhooks describe: a POST of the event's JSON with
/// <c>webhook-id</c> (the event id, the same on every retry, for the receiver to dedupe by), <c>webhook-timestamp</c>
/// (the attempt's time) and <c>webhook-signature</c> (one signature per live secret, so a rotation breaks nobody).
/// Any 2xx is delivered; 410 Gone disables the endpoint; redirects are not followed.
/// </summary>
public sealed class WebhookChannel(HttpClient http) : INotificationChannel
{
    public const string UserAgent = "Workforce-Webhooks/1.0";
    private const int MaxReplyLength = 1_000;

    public NotificationChannel Channel => NotificationChannel.Webhook;

    public async Task<ChannelResult> SendAsync(NotificationSend send, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(send);
        var body = send.Message.Json;
        var timestamp = send.At.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, send.Endpoint.Target)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", send.Event.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Header(send.Endpoint.SigningSecrets(send.At), send.Event.Id, timestamp, body));
        request.Headers.UserAgent.ParseAdd(UserAgent);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var reply = await ReadReplyAsync(response, cancellationToken);
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => new ChannelResult(ChannelOutcome.Delivered, status, reply, null),
                (int)HttpStatusCode.Gone => new ChannelResult(ChannelOutcome.Gone, status, reply, "The endpoint answered 410 Gone."),
                _ => new ChannelResult(ChannelOutcome.Failed, status, reply, $"The endpoint answered {status} {response.ReasonPhrase}.", RetryAfterOf(response.Headers.RetryAfter, send.At)),
            };
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ChannelResult.Unreachable($"No answer within {http.Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            return ChannelResult.Unreachable(e.InnerException is WebhookAddressRefusedException refused ? refused.Message : $"Could not reach the endpoint: {e.Message}");
        }
    }

    private static async Task<string?> ReadReplyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Only the start of what the receiver says is kept, and read no further: a receiver cannot make us buffer much.
        var buffer = new char[MaxReplyLength];
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return read == 0 ? null : new string(buffer, 0, read);
    }

    private static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? retryAfter, DateTimeOffset now) => retryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } when date > now => date - now,
        _ => null,
    };
}
