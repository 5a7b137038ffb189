using System.Globalization;
using System.Text.Json;
using Workforce.Core.Billing;

namespace Workforce.Payments.PayPal.Billing;

/// <summary>
/// PayPal's webhooks in billing's terms. Each delivery is verified by PayPal (verify-webhook-signature, against the
/// configured webhook id, with the body exactly as it arrived), then read: subscription events name the subscription
/// in <c>resource.id</c>, sale events in <c>resource.billing_agreement_id</c>, refunds and reversals name the sale in
/// <c>resource.sale_id</c>. The read-back is <c>GET /v1/billing/subscriptions/{id}</c>: its <c>custom_id</c> is the
/// tenant the checkout was for.
/// </summary>
public sealed class PayPalPaymentEvents(IPayPalClient client, PayPalCatalog catalog) : IPaymentEvents
{
    public async Task<ReceivedPaymentEvent> VerifyAsync(Func<string, string?> header, string body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(body);
        if (PayPalWebhookDelivery.FromHeaders(header, body) is not { } delivery)
        {
            return new ReceivedPaymentEvent(PaymentEventVerdict.NotGenuine, null, null, null,
                "The delivery lacks PayPal's transmission headers (PAYPAL-TRANSMISSION-ID, -TIME, -SIG, PAYPAL-CERT-URL, PAYPAL-AUTH-ALGO).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return new ReceivedPaymentEvent(PaymentEventVerdict.NotGenuine, null, null, null, "The body is not a PayPal event: it is not JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "id") is not { } eventId || Text(root, "event_type") is not { } eventType)
            {
                return new ReceivedPaymentEvent(PaymentEventVerdict.NotGenuine, null, null, null, "The body is not a PayPal event: it has no id or event_type.");
            }

            if (await client.VerifyWebhookSignatureAsync(delivery, cancellationToken) != PayPalWebhookVerification.Success)
            {
                return new ReceivedPaymentEvent(PaymentEventVerdict.NotGenuine, eventId, eventType, null,
                    "PayPal did not confirm the signature of this delivery (verify-webhook-signature answered FAILURE).");
            }

            var resource = root.TryGetProperty("resource", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
            return Read(eventId, eventType, resource) is { } paymentEvent
                ? new ReceivedPaymentEvent(PaymentEventVerdict.Accepted, eventId, eventType, paymentEvent, null)
                : new ReceivedPaymentEvent(PaymentEventVerdict.Ignored, eventId, eventType, null, $"Billing does not act on {eventType}.");
        }
    }

    public async Task<PaymentAccountStanding?> ReadAccountAsync(string reference, CancellationToken cancellationToken = default)
    {
        PayPalSubscription subscription;
        try
        {
            subscription = await client.GetSubscriptionAsync(reference, cancellationToken);
        }
        catch (PayPalNotFoundException)
        {
            return null;
        }

        var state = subscription.Status switch
        {
            PayPalSubscriptionStatus.Active => PaymentAccountState.Active,
            PayPalSubscriptionStatus.Suspended => PaymentAccountState.Suspended,
            PayPalSubscriptionStatus.Cancelled or PayPalSubscriptionStatus.Expired => PaymentAccountState.Cancelled,
            _ => PaymentAccountState.Pending,
        };
        return new PaymentAccountStanding(
            new PaymentAccount(PayPalPaymentGateway.Provider, subscription.Id),
            state,
            subscription.CustomId,
            await catalog.PlanIdOfAsync(subscription.PlanId, cancellationToken),
            PayPalAmounts.MinorUnitsOf(subscription.OutstandingBalance));
    }

    private static PaymentEvent? Read(string eventId, string eventType, JsonElement resource)
    {
        var kind = eventType switch
        {
            "BILLING.SUBSCRIPTION.ACTIVATED" or "BILLING.SUBSCRIPTION.RE-ACTIVATED" => PaymentEventKind.AccountActivated,
            "BILLING.SUBSCRIPTION.CANCELLED" or "BILLING.SUBSCRIPTION.EXPIRED" => PaymentEventKind.AccountCancelled,
            "BILLING.SUBSCRIPTION.SUSPENDED" => PaymentEventKind.AccountSuspended,
            "BILLING.SUBSCRIPTION.PAYMENT.FAILED" => PaymentEventKind.PaymentFailed,
            "PAYMENT.SALE.COMPLETED" => PaymentEventKind.PaymentCompleted,
            "PAYMENT.SALE.REFUNDED" => PaymentEventKind.PaymentRefunded,
            "PAYMENT.SALE.REVERSED" => PaymentEventKind.PaymentReversed,
            _ => (PaymentEventKind?)null,
        };
        if (kind is not { } known || resource.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var (total, currency) = resource.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.Object
            && Text(amount, "total") is { } value && decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed)
            ? ((decimal?)parsed, Text(amount, "currency"))
            : (null, null);
        return known switch
        {
            PaymentEventKind.PaymentCompleted => new PaymentEvent(PayPalPaymentGateway.Provider, eventId, eventType, known, Text(resource, "billing_agreement_id"),
                PaymentId: Text(resource, "id"), Amount: total, Currency: currency),
            PaymentEventKind.PaymentRefunded or PaymentEventKind.PaymentReversed => new PaymentEvent(PayPalPaymentGateway.Provider, eventId, eventType, known,
                Text(resource, "billing_agreement_id"), PaymentId: Text(resource, "sale_id") ?? Text(resource, "id"), RefundId: Text(resource, "id"), Amount: total, Currency: currency),
            _ => new PaymentEvent(PayPalPaymentGateway.Provider, eventId, eventType, known, Text(resource, "id")),
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
