using Microsoft.Extensions.Logging;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;
using Workforce.Core.Subscriptions;

namespace Workforce.Core.Billing;

/// <summary>
/// The end of dunning: an invoice still unpaid after every retry and the grace period is uncollectible, and the
/// tenant is suspended — every quota zero, reads and billing open — until a payment succeeds.
/// </summary>
public sealed partial class SuspendForNonPayment(IWorkforceStore store, TimeProvider clock, ILogger<SuspendForNonPayment> logger)
{
    /// <returns>Whether the tenant was suspended (false when the invoice was paid meanwhile).</returns>
    public async Task<bool> ExecuteAsync(string tenantId, string invoiceId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var suspended = await store.TransactAsync(tenantId, async tx =>
        {
            if (await tx.FindInvoiceAsync(invoiceId) is not { Status: InvoiceStatus.Open } invoice)
            {
                return false;
            }

            tx.Save(invoice with { Status = InvoiceStatus.Uncollectible });
            var subscription = await tx.FindSubscriptionAsync();
            tx.Save(subscription with { Status = SubscriptionStatus.Suspended, UpdatedAt = now });
            tx.Raise(NotificationEvents.OfSuspension(tenantId, invoiceId, subscription.PlanId, now));
            return true;
        }, cancellationToken);
        if (suspended)
        {
            LogSuspended(logger, tenantId, invoiceId);
        }

        return suspended;
    }

    [LoggerMessage(Level = LogLevel.Warning, EventName = "TenantSuspended", Message = "Suspended tenant {TenantId}: invoice {InvoiceId} is unpaid after every retry")]
    private static partial void LogSuspended(ILogger logger, string tenantId, string invoiceId);
}
