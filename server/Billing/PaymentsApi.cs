using Workforce.Api.Billing;
using Workforce.Core;

namespace Workforce.Server.Billing;

internal static class PaymentsApi
{
    /// <summary>Checkout and cancellation: the tenant's, not metered, and open when a quota is used up.</summary>
    public static RouteGroupBuilder MapPaymentsApi(this RouteGroupBuilder api)
    {
        var payments = api.MapGroup("").WithTags("Usage and subscription");
        payments.MapPost(ApiRoutes.SubscriptionCheckout, PaymentEndpoints.CheckoutAsync)
            .WithSummary("Pay for a plan with PayPal (tenant key)")
            .WithDescription("plan = professional; returnUrl and cancelUrl (optional, absolute) are where PayPal sends the payer back. Answers the PayPal " +
                "approvalUrl to send the payer to, and the PayPal subscriptionId. The plan and payment account are taken on when PayPal reports the " +
                "subscription active (its webhook, confirmed by reading it back). 409 when billing runs offline (no PayPal credentials).");
        payments.MapPost(ApiRoutes.SubscriptionCancel, PaymentEndpoints.CancelAsync)
            .WithSummary("Cancel the subscription at the period's end (tenant key)")
            .WithDescription("The plan stays in force until the current period ends, then the tenant is on Free (status cancelled, scheduled change to free). " +
                "The PayPal subscription is cancelled at once, so no further renewal is taken; the period's invoice is still issued at its close.");
        return api;
    }

    /// <summary>PayPal's webhook: anonymous, since PayPal calls it; every delivery is verified with PayPal.</summary>
    public static RouteGroupBuilder MapPayPalWebhook(this RouteGroupBuilder api)
    {
        api.MapPost(ApiRoutes.PayPalWebhook, PaymentEndpoints.ReceivePayPalWebhookAsync)
            .AllowAnonymous()
            .WithTags("Billing")
            .WithSummary("PayPal webhook events (called by PayPal, no key)")
            .WithDescription("Each delivery is verified with PayPal's verify-webhook-signature (PAYPAL-TRANSMISSION-ID, -TIME, -SIG, PAYPAL-CERT-URL, PAYPAL-AUTH-ALGO " +
                "and the configured WebhookId): 400 when it is not genuine, and nothing changes. A genuine event is stored once by its id and processed in the " +
                "background, reading the PayPal subscription back first; a repeated delivery answers 200 with duplicate = true.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }
}
