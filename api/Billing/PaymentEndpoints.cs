using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Api.Usage;
using Workforce.Core;
using Workforce.Core.Billing;
using Workforce.Core.Plans;
using Workforce.Orchestrations.PaymentEvents;

namespace Workforce.Api.Billing;

/// <summary>
/// The handlers of checkout, cancellation and PayPal's webhook. Checkout and cancel are the tenant's (not metered,
/// open when a quota is used up); the webhook is anonymous, since PayPal calls it, and trusts a delivery only once
/// PayPal confirmed its signature.
/// </summary>
public static class PaymentEndpoints
{
    public static async Task<Results<Ok<CheckoutResponse>, ProblemHttpResult>> CheckoutAsync(
        CheckoutRequest request, StartCheckout checkout, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(checkout);
        ArgumentNullException.ThrowIfNull(context);
        var errors = new FieldErrors();
        var returnUrl = ReturnAddress(request.ReturnUrl, context, "approved", "returnUrl", errors);
        var cancelUrl = ReturnAddress(request.CancelUrl, context, "cancelled", "cancelUrl", errors);
        if (errors.Any)
        {
            return errors.ToFailure().ToProblem(context);
        }

        var outcome = await checkout.ExecuteAsync(user.Caller(), new StartCheckoutCommand(request.Plan, returnUrl!, cancelUrl!), cancellationToken);
        return outcome.Value is { } started
            ? TypedResults.Ok(new CheckoutResponse(started.ApprovalUrl.AbsoluteUri, started.Account.Reference))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> CancelAsync(
        CancelSubscription cancel, ApiCallMeter apiCalls, PlanCatalogue plans, TimeProvider clock, ClaimsPrincipal user, HttpContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        ArgumentNullException.ThrowIfNull(apiCalls);
        var outcome = await cancel.ExecuteAsync(user.Caller(), cancellationToken);
        apiCalls.Invalidate(user.Caller().TenantId);
        return outcome.Value is { } subscription
            ? TypedResults.Ok(SubscriptionResponse.From(subscription, plans, clock.GetUtcNow()))
            : outcome.Failure!.ToProblem(context);
    }

    /// <summary>
    /// PayPal's delivery: verified with PayPal (a bad or missing signature is 400 and changes nothing), then stored
    /// once by its event id and processed in the background; a delivery of an event seen before is acknowledged and
    /// ignored. PayPal retries anything but a 2xx, so only a genuine event that could not be stored fails.
    /// </summary>
    public static async Task<Results<Ok<PaymentWebhookReceipt>, ProblemHttpResult>> ReceivePayPalWebhookAsync(
        HttpRequest request, IPaymentGateway gateway, IPaymentEvents events, StartPaymentEventProcessing processing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(processing);
        var context = request.HttpContext;
        if (!gateway.IsOnline)
        {
            return PaymentFailures.Offline.ToProblem(context);
        }

        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(cancellationToken);
        }

        var received = await events.VerifyAsync(name => request.Headers[name].FirstOrDefault(), body, cancellationToken);
        switch (received.Verdict)
        {
            case PaymentEventVerdict.NotGenuine:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status400BadRequest, title: "The webhook delivery is not genuine.", detail: received.Detail);
            case PaymentEventVerdict.Ignored:
                return TypedResults.Ok(new PaymentWebhookReceipt(received.EventId!, received.EventType!, Duplicate: false, Ignored: true));
            default:
                var first = await processing.ExecuteAsync(received.Event!, cancellationToken);
                return TypedResults.Ok(new PaymentWebhookReceipt(received.EventId!, received.EventType!, Duplicate: !first, Ignored: false));
        }
    }

    private static Uri? ReturnAddress(string? given, HttpContext context, string outcome, string field, FieldErrors errors)
    {
        if (given is null)
        {
            return new Uri($"{context.Request.Scheme}://{context.Request.Host}/?checkout={outcome}");
        }

        if (Uri.TryCreate(given, UriKind.Absolute, out var address) && address.Scheme is "https" or "http")
        {
            return address;
        }

        errors.Add(field, "Give an absolute http or https address.");
        return null;
    }
}
