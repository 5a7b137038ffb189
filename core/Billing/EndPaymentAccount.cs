using Workforce.Core.Storage;

namespace Workforce.Core.Billing;

/// <summary>
/// The last step of a cancellation, after its final invoice was collected: the provider's account is closed for good
/// and the subscription forgets it. While an invoice is still owed the account stays (renewals already stopped), so
/// the tenant can still pay it with <c>POST /api/v1/invoices/{id}/pay</c>.
/// </summary>
public sealed class EndPaymentAccount(IWorkforceStore store, IPaymentGateway gateway, TimeProvider clock)
{
    public const string Reason = "The cancelled plan ended with its billing period.";

    /// <returns>Whether the account was closed.</returns>
    public async Task<bool> ExecuteAsync(string tenantId, PaymentAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var invoices = await store.ListInvoicesAsync(tenantId, QueryInvoices.MaxInvoices, cancellationToken);
        if (invoices.Any(invoice => invoice.IsCollectable))
        {
            return false;
        }

        if (gateway.IsOnline)
        {
            await gateway.CancelAsync(account, Reason, $"end-{account.Reference}", cancellationToken);
        }

        return await store.TransactAsync(tenantId, async tx =>
        {
            var subscription = await tx.FindSubscriptionAsync();
            // A new checkout may have replaced the account meanwhile; that one stays.
            if (subscription.Payment != account)
            {
                return false;
            }

            tx.Save(subscription with { Payment = null, UpdatedAt = clock.GetUtcNow() });
            return true;
        }, cancellationToken);
    }
}
