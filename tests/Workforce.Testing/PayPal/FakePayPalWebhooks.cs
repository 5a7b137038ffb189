using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Workforce.Testing.PayPal;

/// <summary>
/// Webhook deliveries as PayPal makes them: the event as the body, signed with SHA256withRSA over
/// <c>{transmission_id}|{transmission_time}|{webhook_id}|{crc32 of the body, decimal}</c>, the certificate at
/// <c>PAYPAL-CERT-URL</c>. Its verify-webhook-signature checks the same signature over the event it is handed, so it
/// answers SUCCESS only for a delivery it sent whose body arrived unchanged.
/// </summary>
public sealed partial class FakePayPal
{
    public IReadOnlyCollection<FakePayPalDelivery> Deliveries => [.. _deliveries.Values];

    /// <summary>Delivers one event to a listener (again, if it was delivered before: PayPal retries with the same event id).</summary>
    public async Task<FakePayPalDelivery> DeliverAsync(Uri listener, FakePayPalEvent webhookEvent, FakeWebhookTampering tampering = FakeWebhookTampering.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var transmissionId = Guid.NewGuid().ToString();
        var transmissionTime = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var signature = Sign(transmissionId, transmissionTime, WebhookId, Encoding.UTF8.GetBytes(webhookEvent.Body));
        var body = webhookEvent.Body;
        switch (tampering)
        {
            case FakeWebhookTampering.Body:
                body = body.Replace("\"event_type\":\"", "\"event_type\":\"X", StringComparison.Ordinal);
                break;
            case FakeWebhookTampering.Signature:
                signature = Sign(transmissionId, transmissionTime, "SOMEOTHERWEBHOOK", Encoding.UTF8.GetBytes(webhookEvent.Body));
                break;
        }

        var headers = new Dictionary<string, string>
        {
            ["PAYPAL-TRANSMISSION-ID"] = transmissionId,
            ["PAYPAL-TRANSMISSION-TIME"] = transmissionTime,
            ["PAYPAL-TRANSMISSION-SIG"] = signature,
            ["PAYPAL-CERT-URL"] = CertUrl,
            ["PAYPAL-AUTH-ALGO"] = AuthAlgorithm,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, listener) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        // Recorded before sending, since a listener verifies while the delivery is still open.
        var delivery = new FakePayPalDelivery(webhookEvent, transmissionId, headers, body, 0);
        _deliveries[transmissionId] = delivery;
        using var response = await _webhookSender.SendAsync(request, cancellationToken);
        delivery = delivery with { ListenerStatus = (int)response.StatusCode };
        _deliveries[transmissionId] = delivery;
        return delivery;
    }

    /// <summary>Delivers events in the order given: the tests of duplicate and out-of-order delivery choose it.</summary>
    public async Task<IReadOnlyList<FakePayPalDelivery>> DeliverAsync(Uri listener, IEnumerable<FakePayPalEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var deliveries = new List<FakePayPalDelivery>();
        foreach (var webhookEvent in events)
        {
            deliveries.Add(await DeliverAsync(listener, webhookEvent, FakeWebhookTampering.None, cancellationToken));
        }

        return deliveries;
    }

    private string Sign(string transmissionId, string transmissionTime, string webhookId, byte[] body) =>
        Convert.ToBase64String(_signingKey.SignData(Encoding.UTF8.GetBytes(SignedText(transmissionId, transmissionTime, webhookId, body)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    private static string SignedText(string transmissionId, string transmissionTime, string webhookId, byte[] body) =>
        $"{transmissionId}|{transmissionTime}|{webhookId}|{Crc32.HashToUInt32(body).ToString(CultureInfo.InvariantCulture)}";

    private Answer VerifySignature(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Invalid("MALFORMED_REQUEST_JSON", "", "The request JSON is not well formed.");
        }

        using (document)
        {
            var root = document.RootElement;
            string? Field(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var transmissionId = Field("transmission_id");
            var transmissionTime = Field("transmission_time");
            var signature = Field("transmission_sig");
            if (transmissionId is null || transmissionTime is null || signature is null || Field("cert_url") is null || Field("auth_algo") is null
                || Field("webhook_id") is null || !root.TryGetProperty("webhook_event", out var webhookEvent) || webhookEvent.ValueKind != JsonValueKind.Object)
            {
                return Invalid("MISSING_REQUIRED_PARAMETER", "", "A required field / parameter is missing.");
            }

            var genuine = Field("auth_algo") == AuthAlgorithm
                && Field("cert_url") == CertUrl
                && _deliveries.ContainsKey(transmissionId)
                && Verify(signature, SignedText(transmissionId, transmissionTime, Field("webhook_id")!, Encoding.UTF8.GetBytes(webhookEvent.GetRawText())));
            return Json(200, new System.Text.Json.Nodes.JsonObject { ["verification_status"] = genuine ? "SUCCESS" : "FAILURE" });
        }
    }

    private bool Verify(string signature, string signedText)
    {
        var bytes = new byte[512];
        return Convert.TryFromBase64String(signature, bytes, out var length)
            && _signingKey.VerifyData(Encoding.UTF8.GetBytes(signedText), bytes.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
