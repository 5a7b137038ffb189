using Workforce.Core.Billing;
using Workforce.Core.Notifications;
using Workforce.Core.Plans;
using Workforce.Core.Storage;

namespace Workforce.Core.Subscriptions;

/// <summary>
/// The periods a closing froze and their invoices, oldest first, and when the next one is due; and the payment
/// account of a cancellation that took effect, to be closed once its final invoice is collected.
/// </summary>
public sealed record ClosedPeriods(IReadOnlyList<PeriodSummary> Closed, IReadOnlyList<Invoice> Invoices, DateTimeOffset NextCloseAt, PaymentAccount? EndedAccount = null);

/// <summary>
/// Closes a tenant's billing periods whose end and grace window have passed: each one's counters are frozen into a
/// summary and its invoice issued, a scheduled downgrade or cancellation takes effect, and the next period opens. Idempotent: the
/// subscription records how far it is closed, in the same transaction as the invoices, so running it again closes
/// and invoices nothing twice.
/// </summary>
public sealed class CloseBillingPeriods(IWorkforceStore store, PlanCatalogue plans, BillingOptions options, TimeProvider clock)
{
    public Task<ClosedPeriods> ExecuteAsync(string tenantId, CancellationToken cancellationToken = default) =>
        store.TransactAsync(tenantId, async tx =>
        {
            var now = clock.GetUtcNow();
            var subscription = await tx.FindSubscriptionAsync();
            var closed = new List<PeriodSummary>();
            var invoices = new List<Invoice>();
            PaymentAccount? endedAccount = null;
            while (subscription.OpenPeriod is var period && period.End + options.GracePeriod <= now)
            {
                var plan = subscription.PlanAt(period.End.AddTicks(-1), plans);
                var usage = await tx.FindUsageAsync(period.Start);
                var summary = new PeriodSummary(
                    tenantId, period, plan.Id, plan.Price, usage, Subscription.OverageCost(plan, usage), subscription.ChangesThisPeriod, now);
                closed.Add(summary);
                invoices.Add(Invoice.Issue(summary, plan, now));
                var rolledOver = subscription.RollOver(period.End, plans) with { ClosedThrough = period.End, LastClosed = summary };
                if (subscription.Status == SubscriptionStatus.Cancelled && rolledOver.Status != SubscriptionStatus.Cancelled)
                {
                    endedAccount = rolledOver.Payment;
                }

                subscription = rolledOver;
            }

            if (closed.Count > 0)
            {
                tx.Save(subscription);
                foreach (var invoice in invoices)
                {
                    tx.Save(invoice);
                    if (invoice.Status != InvoiceStatus.NotCharged)
                    {
                        tx.Raise(NotificationEvents.OfInvoiceIssued(invoice));
                    }
                }
            }

            return new ClosedPeriods(closed, invoices, subscription.OpenPeriod.End + options.GracePeriod, endedAccount);
        }, cancellationToken);
}
