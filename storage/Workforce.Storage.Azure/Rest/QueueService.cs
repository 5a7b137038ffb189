using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace Workforce.Storage.Azure.Rest;

/// <summary>A message as Get Messages returns it: the pop receipt is what deletes or updates it.</summary>
internal sealed record DequeuedMessage(string MessageId, string PopReceipt, string Text, int DequeueCount);

/// <summary>
/// The Queue service: create, put, get (which hides a message for a visibility timeout and counts the dequeue),
/// delete and update messages. Visibility timeouts are whole seconds, at most 7 days.
/// </summary>
internal sealed class QueueService(StorageHttp http, Uri endpoint)
{
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    /// <summary>The most messages one Get Messages returns.</summary>
    public const int MaxMessagesPerGet = 32;

    public async Task CreateIfNotExistsAsync(string queue, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(HttpMethod.Put, queue, cancellationToken);
    }

    public async Task DeleteIfExistsAsync(string queue, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Delete, queue, cancellationToken);
        }
        catch (StorageRequestException e) when (e.Status == HttpStatusCode.NotFound)
        {
        }
    }

    /// <param name="timeToLive">Null: the message never expires.</param>
    public async Task PutAsync(string queue, string text, TimeSpan invisibleFor, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        var ttl = timeToLive is { } t ? Seconds(t).ToString(CultureInfo.InvariantCulture) : "-1";
        var body = Encoding.UTF8.GetBytes($"<QueueMessage><MessageText>{text}</MessageText></QueueMessage>");
        using var _ = await SendAsync(HttpMethod.Post, $"{queue}/messages?visibilitytimeout={Seconds(invisibleFor)}&messagettl={ttl}", cancellationToken, body);
    }

    public async Task<IReadOnlyList<DequeuedMessage>> GetAsync(string queue, int count, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get,
            $"{queue}/messages?numofmessages={Math.Clamp(count, 1, MaxMessagesPerGet)}&visibilitytimeout={Math.Max(1, Seconds(visibilityTimeout))}", cancellationToken);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return [.. xml.Root!.Elements("QueueMessage").Select(m => new DequeuedMessage(
            (string)m.Element("MessageId")!,
            (string)m.Element("PopReceipt")!,
            (string)m.Element("MessageText")!,
            (int)m.Element("DequeueCount")!))];
    }

    /// <returns>False when the pop receipt no longer matches: the message was received again or is gone.</returns>
    public async Task<bool> DeleteMessageAsync(string queue, string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Delete, $"{queue}/messages/{messageId}?popreceipt={Uri.EscapeDataString(popReceipt)}", cancellationToken);
            return true;
        }
        catch (StorageRequestException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            return false;
        }
    }

    /// <returns>The new pop receipt, or null when the given one no longer matches.</returns>
    public async Task<string?> UpdateVisibilityAsync(string queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Put,
                $"{queue}/messages/{messageId}?popreceipt={Uri.EscapeDataString(popReceipt)}&visibilitytimeout={Seconds(visibilityTimeout)}", cancellationToken);
            return response.Headers.GetValues("x-ms-popreceipt").First();
        }
        catch (StorageRequestException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            return null;
        }
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken, byte[]? xml = null) =>
        http.SendAsync(StorageService.Queue, () =>
        {
            var request = new HttpRequestMessage(method, new Uri(endpoint, path));
            if (xml is not null)
            {
                request.Content = new ByteArrayContent(xml);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/xml");
            }

            return request;
        }, cancellationToken);

    private static long Seconds(TimeSpan span) => (long)Math.Ceiling(Math.Max(0, span.TotalSeconds));
}
