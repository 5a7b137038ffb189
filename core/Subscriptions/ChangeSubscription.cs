using Workforce.Core.Plans;
using Workforce.Core.Storage;

namespace Workforce.Core.Subscriptions;

public sealed record ChangeSubscriptionCommand(string? Plan, OveragePolicy? Overage = null, int? OverageCapPercent = null, decimal? OverageSpendCap = null);

/// <summary>
/// A tenant changes its own plan or overage policy: an upgrade takes effect at once (its fee prorated to the second
/// on the next invoice), a downgrade at the period's end. Enterprise terms are arranged with the platform admin; a plan
/// paid through the payment provider changes through a new checkout.
/// </summary>
public sealed class ChangeSubscription(IWorkforceStore store, PlanCatalogue plans, TimeProvider clock)
{
    public const int MaxOverageCapPercent = 1_000;

    public async Task<Outcome<Subscription>> ExecuteAsync(Caller caller, ChangeSubscriptionCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (caller.IsAgent)
        {
            return Failure.Forbidden("Agent keys cannot change the subscription; use a tenant key.");
        }

        var target = command.Plan is null ? null : plans.Find(command.Plan);
        if (command.Plan is not null && target is null)
        {
            return Failure.Invalid("plan", $"Choose one of: {string.Join(", ", plans.All.Select(p => p.Id))}.");
        }

        if (target?.Id == Plan.Enterprise)
        {
            return Failure.Forbidden("The Enterprise plan is arranged with the platform admin, who sets its limits and prices.");
        }

        if (command.OverageCapPercent is < 100 or > MaxOverageCapPercent)
        {
            return Failure.Invalid("overageCapPercent", $"Give a cap of 100 to {MaxOverageCapPercent} percent of each limit.");
        }

        if (command.OverageSpendCap is < 0)
        {
            return Failure.Invalid("overageSpendCap", "The spend cap cannot be negative.");
        }

        var now = clock.GetUtcNow();
        return await store.TransactAsync<Outcome<Subscription>>(caller.TenantId, async tx =>
        {
            var subscription = await tx.FindSubscriptionAsync();
            if (target is not null && target.Id != subscription.PlanIdAt(now) && subscription.Payment is { } account)
            {
                // The provider bills the plan fee itself: a plan changed here alone would be invoiced at one fee and renewed at another.
                return Failure.Conflict(target.Id == Plan.Free
                    ? $"The plan is paid through {account.Provider}: end it with POST /api/v1/subscription/cancel, which stops the renewals too."
                    : $"The plan is paid through {account.Provider}: change it with POST /api/v1/subscription/checkout {{\"plan\": \"{target.Id}\"}}; the new plan starts when you approve it.");
            }

            var current = subscription.PlanAt(now, plans);
            var changed = target is null || target.Id == subscription.PlanIdAt(now) ? subscription : subscription.ChangePlan(current, target, now);
            var inForce = changed.PlanAt(now, plans);
            if (command.Overage == OveragePolicy.Allow && !inForce.AllowsOverage)
            {
                return Failure.Invalid("overage", $"The {inForce.Name} plan blocks at its limits; upgrade to allow overage.");
            }

            changed = changed with
            {
                Overage = command.Overage ?? changed.Overage,
                OverageCapPercent = command.OverageCapPercent ?? changed.OverageCapPercent,
                OverageSpendCap = command.OverageSpendCap is { } cap ? new Money(cap, plans.Currency) : changed.OverageSpendCap,
                UpdatedAt = now,
            };
            tx.Save(changed);
            return changed;
        }, cancellationToken);
    }
}
