using System.Text;
using System.Text.Json;
using Workforce.Core.Queues;

namespace Workforce.Storage.Azure.Queues;

/// <summary>
/// What travels in an Azure queue message: the message with the metadata Service Bus would keep for it (id, tenant,
/// enqueue and expiry times), and once dead-lettered, why. Base64 of UTF-8 JSON, as the Functions queue trigger
/// expects, which limits a body to about 48 KiB.
/// </summary>
internal sealed record QueueEnvelope(
    string Id,
    string? Tenant,
    string Body,
    long EnqueuedAt,
    long ExpiresAt,
    Guid Ledger,
    long? DeadLetteredAt = null,
    string? Reason = null,
    string? Description = null)
{
    /// <summary>The service's limit on message text (64 KiB), as base64.</summary>
    public const int MaxEncodedLength = 64 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static QueueEnvelope For(QueueMessage message, DateTimeOffset enqueuedAt, DateTimeOffset expiresAt) =>
        new(message.MessageId, message.TenantId, message.Body, enqueuedAt.UtcTicks, expiresAt.UtcTicks, Guid.NewGuid());

    public string Encode()
    {
        var text = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, Json)));
        return text.Length <= MaxEncodedLength
            ? text
            : throw new ArgumentException($"Message {Id} is too large for Azure Storage Queues: {text.Length} characters encoded, the limit is {MaxEncodedLength}.");
    }

    public static QueueEnvelope Decode(string text) =>
        JsonSerializer.Deserialize<QueueEnvelope>(Encoding.UTF8.GetString(Convert.FromBase64String(text)), Json)
        ?? throw new FormatException("The queue message is not an envelope.");
}
