using Microsoft.Extensions.Logging;
using Workforce.Core.Billing;
using Workforce.Core.Plans;

namespace Workforce.Payments.PayPal.Billing;

/// <summary>
/// Billing's payment port on PayPal. A charge sets the subscription's outstanding balance to the invoice's total and
/// captures it with <c>PayPal-Request-Id</c> = <c>{invoice}-attempt-{n}</c>: a retry of the HTTP call, a crash and
/// replay of the activity, or a timeout after PayPal charged all send the same id, and PayPal answers the first
/// capture again without charging. A refund carries the refund's own id. Declines and refusals are results (billing
/// runs dunning on them); PayPal being unreachable throws <see cref="PayPalUnavailableException"/>, and the caller
/// repeats the call later with the same id.
/// </summary>
public sealed partial class PayPalPaymentGateway(IPayPalClient client, PayPalCatalog catalog, ILogger<PayPalPaymentGateway> logger) : IPaymentGateway
{
    public const string Provider = "paypal";

    public bool IsOnline => client.IsConfigured;

    public async Task<ChargeResult> ChargeAsync(PaymentAccount account, Invoice invoice, int attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(invoice);
        // The plan fee is billed by the PayPal subscription's own renewals; this charge collects the rest (overage
        // and proration), so the fee is never charged twice.
        var dueMinor = invoice.TotalMinor - invoice.Lines.Where(l => l.Kind == InvoiceLineKind.PlanFee).Sum(l => l.AmountMinor);
        if (dueMinor <= 0)
        {
            return new ChargeResult(ChargeOutcome.Paid, null, "The plan fee is collected by the PayPal subscription's renewal; nothing else is due.");
        }

        var amount = PayPalAmounts.OfMinorUnits(dueMinor, invoice.Currency);
        var requestId = $"{invoice.Id}-attempt-{attempt}";
        try
        {
            // A replace: setting it again on a replay does no harm, and the capture below is the one that moves money.
            await client.SetOutstandingBalanceAsync(account.Reference, amount, cancellationToken);
            var capture = await client.CaptureOutstandingBalanceAsync(account.Reference, amount, $"Workforce invoice {invoice.Id}", requestId, cancellationToken);
            switch (capture.Outcome)
            {
                case PayPalChargeOutcome.Completed:
                    return new ChargeResult(ChargeOutcome.Paid, capture.TransactionId, null);
                case PayPalChargeOutcome.Pending:
                    // Accepted and settling (an eCheck, a review). Declining it would make dunning capture again and charge
                    // twice once it settles; so it counts as paid, and a later reversal comes back as PAYMENT.SALE.REVERSED.
                    LogCapturePending(logger, invoice.Id, attempt, capture.TransactionId);
                    return new ChargeResult(ChargeOutcome.Paid, capture.TransactionId, "Pending at PayPal: settles later.");
                default:
                    return new ChargeResult(ChargeOutcome.Declined, null, $"PayPal declined the charge: {capture.Error?.ToString() ?? capture.Status}");
            }
        }
        catch (PayPalNotFoundException)
        {
            return new ChargeResult(ChargeOutcome.Declined, null, $"PayPal does not know subscription {account.Reference}: check out again (POST /api/v1/subscription/checkout).");
        }
        catch (PayPalRejectedException e)
        {
            // A cancelled subscription (SUBSCRIPTION_STATUS_INVALID), a currency PayPal refuses: retrying unchanged will not help.
            return new ChargeResult(ChargeOutcome.Declined, null, $"PayPal refused the charge: {e.Error?.ToString() ?? e.Message}");
        }
    }

    public async Task<RefundResult> RefundAsync(Invoice invoice, InvoiceRefund refund, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(refund);
        if (invoice.PaymentId is not { } captureId)
        {
            return new RefundResult(RefundOutcome.Refused, null, "The invoice has no PayPal payment to refund.");
        }

        try
        {
            var result = await client.RefundCaptureAsync(
                captureId, PayPalAmounts.OfMinorUnits(refund.AmountMinor, invoice.Currency), Truncate(refund.Reason, 255), invoice.Id, refund.Id, cancellationToken);
            return result.Outcome is PayPalRefundOutcome.Completed or PayPalRefundOutcome.Pending
                ? new RefundResult(RefundOutcome.Refunded, result.RefundId, result.Outcome == PayPalRefundOutcome.Pending ? "Pending at PayPal." : null)
                : new RefundResult(RefundOutcome.Refused, result.RefundId, $"PayPal refused the refund: {result.Error?.ToString() ?? result.Status}");
        }
        catch (PayPalNotFoundException)
        {
            return new RefundResult(RefundOutcome.Refused, null, $"PayPal does not know payment {captureId}.");
        }
    }

    public async Task<CheckoutStarted> StartCheckoutAsync(
        string tenantId, Plan plan, Uri returnUrl, Uri cancelUrl, string requestKey, CancellationToken cancellationToken = default)
    {
        var payPalPlan = await catalog.EnsurePlanAsync(plan, cancellationToken);
        var subscription = await client.CreateSubscriptionAsync(
            new PayPalSubscriptionRequest(payPalPlan.Id, tenantId, returnUrl, cancelUrl, BrandName: "Workforce"), requestKey, cancellationToken);
        var approval = subscription.ApprovalUrl
            ?? throw new PayPalException($"PayPal returned subscription {subscription.Id} ({subscription.Status}) without an approve link.");
        return new CheckoutStarted(new PaymentAccount(Provider, subscription.Id), approval);
    }

    public Task CancelAsync(PaymentAccount account, string reason, string requestKey, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync(account, () => client.CancelSubscriptionAsync(account.Reference, Truncate(reason, 128), requestKey, cancellationToken));

    /// <summary>
    /// PayPal's suspension, which its guide offers as a "soft cancellation": no more renewals, while the outstanding
    /// balance of the final invoice can still be captured.
    /// </summary>
    public Task StopRenewalsAsync(PaymentAccount account, string reason, string requestKey, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync(account, () => client.SuspendSubscriptionAsync(account.Reference, Truncate(reason, 128), requestKey, cancellationToken));

    private async Task ChangeAccountAsync(PaymentAccount account, Func<Task> change)
    {
        ArgumentNullException.ThrowIfNull(account);
        try
        {
            await change();
        }
        catch (PayPalNotFoundException)
        {
            LogCancelUnknown(logger, account.Reference);
        }
        catch (PayPalRejectedException e) when (e.Error?.Has("SUBSCRIPTION_STATUS_INVALID") == true)
        {
            // Never approved (APPROVAL_PENDING) or expired: it bills nothing, which is what cancelling wants.
            LogCancelUnknown(logger, account.Reference);
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(Level = LogLevel.Warning, EventName = "PayPalCapturePending",
        Message = "PayPal holds the capture of invoice {InvoiceId} (attempt {Attempt}) as pending ({TransactionId}); counted as paid until PayPal reports otherwise")]
    private static partial void LogCapturePending(ILogger logger, string invoiceId, int attempt, string? transactionId);

    [LoggerMessage(Level = LogLevel.Information, EventName = "PayPalCancelNothing", Message = "PayPal subscription {SubscriptionId} bills nothing any more; nothing to cancel")]
    private static partial void LogCancelUnknown(ILogger logger, string subscriptionId);
}
