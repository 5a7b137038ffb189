using Microsoft.Extensions.Logging;
using Workforce.Core.Plans;
using Workforce.Core.Storage;
using Workforce.Core.Subscriptions;

namespace Workforce.Core.Billing;

/// <summary>
/// Acts on a verified notification from the payment provider. Notifications come late, twice and out of order, so
/// the account is read back from the provider first and the subscription is brought to what the provider holds
/// now, whatever the event said: an account the provider reports active becomes the tenant's payment account (with
/// its plan, and a cancellation undone); one it reports suspended puts the tenant past due; one it reports cancelled
/// ends the subscription at the period's end. A failed renewal still owed puts the tenant past due, a payment that
/// leaves nothing owed reactivates it, and a refund or reversal made at the provider is recorded on the invoice it
/// paid. The tenant is the one the account was opened for (PayPal's custom_id). Applying an event twice, or an old
/// one after a newer, changes nothing more.
/// </summary>
public sealed partial class ReconcilePaymentEvent(
    IWorkforceStore store, IPaymentEvents events, IPaymentGateway gateway, PlanCatalogue plans, TimeProvider clock, ILogger<ReconcilePaymentEvent> logger)
{
    /// <returns>What was done, for the operations view.</returns>
    public async Task<string> ExecuteAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paymentEvent);
        if (paymentEvent.AccountReference is not { } reference
            || await events.ReadAccountAsync(reference, cancellationToken) is not { TenantId: { } tenantId } standing
            || await store.FindSubscriptionAsync(tenantId, cancellationToken) is null)
        {
            LogUnmatched(logger, paymentEvent.EventId, paymentEvent.EventType, paymentEvent.AccountReference);
            return "unmatched: no tenant's account";
        }

        return paymentEvent.Kind is PaymentEventKind.PaymentRefunded or PaymentEventKind.PaymentReversed
            ? await RecordRefundAsync(tenantId, paymentEvent, cancellationToken)
            : await BringUpToDateAsync(tenantId, paymentEvent, standing, cancellationToken);
    }

    private async Task<string> BringUpToDateAsync(string tenantId, PaymentEvent paymentEvent, PaymentAccountStanding standing, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var account = standing.Account;
        var (done, replaced) = await store.TransactAsync(tenantId, async tx =>
        {
            var subscription = await tx.FindSubscriptionAsync();
            var ours = subscription.Payment == account;
            PaymentAccount? replaced = null;
            var updated = subscription;
            var done = "unchanged";
            switch (standing.State)
            {
                case PaymentAccountState.Active when !ours:
                    replaced = subscription.Payment;
                    updated = Activate(subscription, standing, now);
                    done = "payment account activated";
                    break;
                case PaymentAccountState.Suspended when ours && subscription.Status == SubscriptionStatus.Active:
                    updated = subscription with { Status = SubscriptionStatus.PastDue, UpdatedAt = now };
                    done = "past due: account suspended at the provider";
                    break;
                case PaymentAccountState.Cancelled when ours && subscription.Status != SubscriptionStatus.Cancelled:
                    updated = CancelSubscription.EndAtPeriodEnd(subscription, plans, now);
                    done = "cancelled at the period's end";
                    break;
            }

            if (standing.State == PaymentAccountState.Active && updated.Payment == account)
            {
                if (paymentEvent.Kind == PaymentEventKind.PaymentFailed && standing.OutstandingMinor > 0 && updated.Status == SubscriptionStatus.Active)
                {
                    updated = updated with { Status = SubscriptionStatus.PastDue, UpdatedAt = now };
                    done = "past due: a renewal failed";
                }
                else if (paymentEvent.Kind == PaymentEventKind.PaymentCompleted && standing.OutstandingMinor <= 0
                    && updated.Status is SubscriptionStatus.PastDue or SubscriptionStatus.Suspended)
                {
                    updated = updated with { Status = SubscriptionStatus.Active, UpdatedAt = now };
                    done = "reactivated: paid";
                }
            }

            if (!ReferenceEquals(updated, subscription))
            {
                tx.Save(updated);
            }

            return (done, replaced);
        }, cancellationToken);

        if (replaced is { } old && old.Provider == account.Provider && gateway.IsOnline)
        {
            // A new checkout took over: the old account must not keep billing the tenant.
            await gateway.CancelAsync(old, $"Replaced by {account.Reference}", $"replace-{old.Reference}", cancellationToken);
        }

        LogReconciled(logger, paymentEvent.EventId, paymentEvent.EventType, tenantId, standing.State, done);
        return done;
    }

    /// <summary>The account becomes the tenant's way to pay, on the plan it bills; a pending cancellation is undone.</summary>
    private Subscription Activate(Subscription subscription, PaymentAccountStanding standing, DateTimeOffset now)
    {
        var activated = subscription;
        if (standing.PlanId is { } planId && planId != subscription.PlanIdAt(now) && plans.Find(planId) is { } target)
        {
            activated = activated.ChangePlan(subscription.PlanAt(now, plans), target, now);
        }
        else if (activated.Status == SubscriptionStatus.Cancelled)
        {
            activated = activated with { Scheduled = activated.Scheduled?.PlanId == Plan.Free ? null : activated.Scheduled };
        }

        return activated with
        {
            Payment = standing.Account,
            Status = activated.Status == SubscriptionStatus.Cancelled ? SubscriptionStatus.Active : activated.Status,
            UpdatedAt = now,
        };
    }

    private async Task<string> RecordRefundAsync(string tenantId, PaymentEvent paymentEvent, CancellationToken cancellationToken)
    {
        var paid = (await store.ListInvoicesAsync(tenantId, QueryInvoices.MaxInvoices, cancellationToken))
            .FirstOrDefault(invoice => paymentEvent.PaymentId is not null && invoice.Attempts.Any(a => a.Succeeded && a.PaymentId == paymentEvent.PaymentId));
        if (paid is null)
        {
            LogRefundUnmatched(logger, paymentEvent.EventId, paymentEvent.EventType, tenantId, paymentEvent.PaymentId);
            return "unmatched: no invoice paid by that payment";
        }

        var now = clock.GetUtcNow();
        var reason = paymentEvent.Kind == PaymentEventKind.PaymentReversed
            ? $"Reversed at {paymentEvent.Provider} (chargeback or dispute)"
            : $"Refunded at {paymentEvent.Provider}";
        var recorded = await store.TransactAsync(tenantId, async tx =>
        {
            var invoice = (await tx.FindInvoiceAsync(paid.Id))!;
            var providerRefund = paymentEvent.RefundId ?? paymentEvent.EventId;
            // Our own refunds record the provider's refund id; a refund of ours seen again here is already on the invoice.
            if (invoice.Refunds.Any(r => r.PaymentId == providerRefund))
            {
                return false;
            }

            var left = invoice.TotalMinor - invoice.RefundedMinor;
            var amount = paymentEvent.Amount is { } major ? Math.Min(left, new Money(Math.Abs(major), invoice.Currency).MinorUnits) : left;
            if (amount <= 0)
            {
                return false;
            }

            tx.Save(invoice.RecordRefund(new InvoiceRefund($"{invoice.Id}-refund-{invoice.Refunds.Count + 1}", amount, reason, now, providerRefund)));
            return true;
        }, cancellationToken);
        return recorded ? $"refund recorded on {paid.Id}" : $"refund already on {paid.Id}";
    }

    [LoggerMessage(Level = LogLevel.Warning, EventName = "PaymentEventUnmatched",
        Message = "Payment event {EventId} ({EventType}) names no tenant's account ({Reference}); nothing changed")]
    private static partial void LogUnmatched(ILogger logger, string eventId, string eventType, string? reference);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "RefundUnmatched",
        Message = "Payment event {EventId} ({EventType}) of tenant {TenantId}: no invoice was paid by payment {PaymentId}; nothing recorded")]
    private static partial void LogRefundUnmatched(ILogger logger, string eventId, string eventType, string tenantId, string? paymentId);

    [LoggerMessage(Level = LogLevel.Information, EventName = "PaymentEventReconciled",
        Message = "Payment event {EventId} ({EventType}) of tenant {TenantId}, account {State} at the provider: {Done}")]
    private static partial void LogReconciled(ILogger logger, string eventId, string eventType, string tenantId, PaymentAccountState state, string done);
}
