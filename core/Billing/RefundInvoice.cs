using Workforce.Core.Plans;
using Workforce.Core.Storage;

namespace Workforce.Core.Billing;

public sealed record RefundInvoiceCommand(decimal? Amount, string? Reason);

/// <summary>
/// Platform administration: refunds a paid invoice, all that is left of it or part. The refund's id is derived from
/// the invoice and the refunds made so far, so a retried request refunds once.
/// </summary>
public sealed class RefundInvoice(IWorkforceStore store, IPaymentGateway gateway, TimeProvider clock)
{
    public const int MaxReasonLength = 500;

    public async Task<Outcome<Invoice>> ExecuteAsync(string tenantId, string invoiceId, RefundInvoiceCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var reason = command.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
        {
            return Failure.Invalid("reason", $"Say why, in 1 to {MaxReasonLength} characters.");
        }

        if (await store.FindInvoiceAsync(tenantId, invoiceId, cancellationToken) is not { } invoice)
        {
            return Failure.NotFound($"Invoice {invoiceId}");
        }

        var amountMinor = command.Amount is { } amount ? new Money(amount, invoice.Currency).MinorUnits : invoice.TotalMinor - invoice.RefundedMinor;
        if (invoice.RefundRefusal(amountMinor) is { } refusal)
        {
            return Failure.Conflict(refusal);
        }

        var refund = new InvoiceRefund($"{invoice.Id}-refund-{invoice.Refunds.Count + 1}", amountMinor, reason, clock.GetUtcNow(), null);
        var result = await gateway.RefundAsync(invoice, refund, cancellationToken);
        if (result.Outcome != RefundOutcome.Refunded)
        {
            return Failure.Conflict($"The refund was not made: {result.Detail}");
        }

        return await store.TransactAsync<Outcome<Invoice>>(tenantId, async tx =>
        {
            var current = (await tx.FindInvoiceAsync(invoiceId))!;
            if (current.Refunds.Any(r => r.Id == refund.Id))
            {
                return current;
            }

            var refunded = current.RecordRefund(refund with { PaymentId = result.PaymentId });
            tx.Save(refunded);
            return refunded;
        }, cancellationToken);
    }
}
