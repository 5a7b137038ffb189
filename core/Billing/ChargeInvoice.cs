using Microsoft.Extensions.Logging;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;
using Workforce.Core.Subscriptions;

namespace Workforce.Core.Billing;

/// <summary>
/// Charges an open (or uncollectible) invoice, as attempt <c>n</c> of its collection. The provider is called outside the transaction
/// (it is the network) and the answer recorded after; a crash in between replays the same attempt, which the
/// provider answers from its idempotency key without charging again. A success reactivates a past-due or suspended
/// subscription; a failure puts it past due. Each recorded attempt raises payment.succeeded or payment.failed.
/// </summary>
public sealed partial class ChargeInvoice(IWorkforceStore store, IPaymentGateway gateway, TimeProvider clock, ILogger<ChargeInvoice> logger)
{
    /// <returns>The invoice after the attempt, or null when there is none with that id.</returns>
    public async Task<Invoice?> ExecuteAsync(string tenantId, string invoiceId, int attempt, CancellationToken cancellationToken = default)
    {
        var subscription = await store.FindSubscriptionAsync(tenantId, cancellationToken);
        var invoice = await store.FindInvoiceAsync(tenantId, invoiceId, cancellationToken);
        if (subscription is null || invoice is null || !invoice.IsCollectable || invoice.Attempts.Any(a => a.Number == attempt))
        {
            return invoice;
        }

        var result = subscription.Payment is { } account ? await gateway.ChargeAsync(account, invoice, attempt, cancellationToken)
            : gateway.IsOnline ? new ChargeResult(ChargeOutcome.NoPaymentAccount, null, "No payment method: check out with PayPal (POST /api/v1/subscription/checkout).")
            : new ChargeResult(ChargeOutcome.Offline, null, null);
        var now = clock.GetUtcNow();
        var charged = await store.TransactAsync(tenantId, async tx =>
        {
            var current = (await tx.FindInvoiceAsync(invoiceId))!;
            if (!current.IsCollectable || current.Attempts.Any(a => a.Number == attempt))
            {
                return current;
            }

            if (result.Outcome == ChargeOutcome.Offline)
            {
                var offline = current with { Status = InvoiceStatus.Offline };
                tx.Save(offline);
                return offline;
            }

            var charge = new ChargeAttempt(attempt, now, result.Outcome == ChargeOutcome.Paid, result.PaymentId, result.Detail);
            var after = current.RecordCharge(charge);
            tx.Save(after);
            tx.Raise(NotificationEvents.OfCharge(after, charge));
            var standing = await tx.FindSubscriptionAsync();
            var status = result.Outcome switch
            {
                ChargeOutcome.Paid when standing.Status is SubscriptionStatus.PastDue or SubscriptionStatus.Suspended => SubscriptionStatus.Active,
                ChargeOutcome.Declined or ChargeOutcome.NoPaymentAccount when standing.Status == SubscriptionStatus.Active => SubscriptionStatus.PastDue,
                _ => standing.Status,
            };
            if (status != standing.Status)
            {
                tx.Save(standing with { Status = status, UpdatedAt = now });
            }

            return after;
        }, cancellationToken);

        if (result.Outcome is ChargeOutcome.Declined or ChargeOutcome.NoPaymentAccount)
        {
            LogPaymentFailed(logger, tenantId, invoiceId, attempt, result.Detail);
        }

        return charged;
    }

    [LoggerMessage(Level = LogLevel.Warning, EventName = "PaymentFailed", Message = "Payment failed for tenant {TenantId}, invoice {InvoiceId}, attempt {Attempt}: {Reason}")]
    private static partial void LogPaymentFailed(ILogger logger, string tenantId, string invoiceId, int attempt, string? reason);
}
