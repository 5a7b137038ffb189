using Workforce.Core.Plans;
using Workforce.Core.Storage;
using Workforce.Core.Subscriptions;

namespace Workforce.Core.Billing;

/// <summary>
/// A tenant cancels: the plan stays in force to the end of the period it paid for, then the tenant returns to Free
/// (a change scheduled for the period's end, status cancelled until then). The provider stops renewing the account
/// at once, with a key derived from the account, so no renewal is taken for a period the tenant will not have; a
/// repeated cancel changes nothing. The period's own invoice (its overage) is still issued at its close and charged to
/// the account, which the billing cycle then closes (<see cref="EndPaymentAccount"/>).
/// </summary>
public sealed class CancelSubscription(IWorkforceStore store, PlanCatalogue plans, IPaymentGateway gateway, TimeProvider clock)
{
    public const string Reason = "Cancelled by the tenant; the plan ends with the current billing period.";

    public async Task<Outcome<Subscription>> ExecuteAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failure.Forbidden("Agent keys cannot cancel the subscription; use a tenant key.");
        }

        if (await store.FindSubscriptionAsync(caller.TenantId, cancellationToken) is not { } subscription)
        {
            return Failure.NotFound("The subscription");
        }

        var now = clock.GetUtcNow();
        if (subscription.Status == SubscriptionStatus.Cancelled)
        {
            return subscription;
        }

        if (subscription.PlanIdAt(now) == Plan.Free && subscription.Payment is null)
        {
            return Failure.Conflict("The Free plan has nothing to cancel.");
        }

        if (subscription.Payment is { } account && gateway.IsOnline)
        {
            await gateway.StopRenewalsAsync(account, Reason, $"cancel-{caller.TenantId}-{account.Reference}", cancellationToken);
        }

        return await store.TransactAsync<Outcome<Subscription>>(caller.TenantId, async tx =>
        {
            var current = await tx.FindSubscriptionAsync();
            if (current.Status == SubscriptionStatus.Cancelled)
            {
                return current;
            }

            var cancelled = EndAtPeriodEnd(current, plans, now);
            tx.Save(cancelled);
            return cancelled;
        }, cancellationToken);
    }

    /// <summary>Cancelled now, back to Free when the period ends: the downgrade <see cref="Subscription.ChangePlan"/> schedules.</summary>
    public static Subscription EndAtPeriodEnd(Subscription subscription, PlanCatalogue plans, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(plans);
        var current = subscription.PlanAt(at, plans);
        var free = plans.Get(Plan.Free);
        var scheduled = current.Price.Amount > free.Price.Amount
            ? subscription.ChangePlan(current, free, at)
            : subscription with { Scheduled = new ScheduledPlanChange(Plan.Free, subscription.PeriodContaining(at).End), UpdatedAt = at };
        return scheduled with { Status = SubscriptionStatus.Cancelled, UpdatedAt = at };
    }
}
