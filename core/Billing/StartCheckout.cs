using Workforce.Core.Plans;
using Workforce.Core.Storage;

namespace Workforce.Core.Billing;

public sealed record StartCheckoutCommand(string? Plan, Uri ReturnUrl, Uri CancelUrl);

/// <summary>
/// A tenant begins paying for a plan: the provider opens an account (a PayPal subscription) waiting for the payer's
/// approval, and the tenant is sent to approve it. Nothing is recorded here: the account and the plan are taken on
/// only when the provider reports the account active and a read-back confirms it (<see cref="ReconcilePaymentEvent"/>),
/// so an abandoned approval page changes nothing. The request key is derived from the tenant, the plan and the
/// subscription's last change, so a retried checkout returns the same approval link, and one after any change opens
/// a new account.
/// </summary>
public sealed class StartCheckout(IWorkforceStore store, PlanCatalogue plans, IPaymentGateway gateway, TimeProvider clock)
{
    public async Task<Outcome<CheckoutStarted>> ExecuteAsync(Caller caller, StartCheckoutCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (caller.IsAgent)
        {
            return Failure.Forbidden("Agent keys cannot check out; use a tenant key.");
        }

        if (!gateway.IsOnline)
        {
            return PaymentFailures.Offline;
        }

        if (plans.Find(command.Plan) is not { } plan)
        {
            return Failure.Invalid("plan", $"Choose one of: {string.Join(", ", plans.All.Where(p => p.Price.Amount > 0 && p.Id != Plan.Enterprise).Select(p => p.Id))}.");
        }

        if (plan.Id == Plan.Enterprise)
        {
            return Failure.Forbidden("The Enterprise plan is arranged with the platform admin, who sets its limits and prices.");
        }

        if (plan.Price.Amount <= 0)
        {
            return Failure.Invalid("plan", $"The {plan.Name} plan costs nothing and needs no payment method.");
        }

        var subscription = await store.FindSubscriptionAsync(caller.TenantId, cancellationToken);
        var now = clock.GetUtcNow();
        if (subscription is { Payment: not null, Status: not Subscriptions.SubscriptionStatus.Cancelled } && subscription.PlanIdAt(now) == plan.Id)
        {
            return Failure.Conflict($"The {plan.Name} plan is already paid for through {subscription.Payment.Provider}; cancel it first to change how you pay.");
        }

        var requestKey = $"checkout-{caller.TenantId}-{plan.Id}-{subscription?.UpdatedAt.UtcTicks ?? 0}";
        try
        {
            return await gateway.StartCheckoutAsync(caller.TenantId, plan, command.ReturnUrl, command.CancelUrl, requestKey, cancellationToken);
        }
        catch (PaymentsOfflineException)
        {
            return PaymentFailures.Offline;
        }
    }
}

/// <summary>Refusals of the payment use cases, worded once.</summary>
public static class PaymentFailures
{
    public static readonly Failure Offline = Failure.Conflict(
        "Billing runs offline: no payment provider is configured, so there is nothing to check out or notify. Invoices are issued and not charged; " +
        "configure Workforce:Billing:PayPal (ClientId, ClientSecret, WebhookId) to take payments.");
}
