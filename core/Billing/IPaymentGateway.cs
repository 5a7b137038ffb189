using Workforce.Core.Plans;

namespace Workforce.Core.Billing;

/// <summary>How a tenant pays: the provider and the provider's own reference (a PayPal subscription id).</summary>
public sealed record PaymentAccount(string Provider, string Reference);

public enum ChargeOutcome
{
    Paid,

    /// <summary>The provider declined the charge: the attempt failed, dunning goes on.</summary>
    Declined,

    /// <summary>The tenant has no payment account (never checked out): the attempt failed, dunning goes on.</summary>
    NoPaymentAccount,

    /// <summary>No provider is configured: the invoice is issued and nothing is charged.</summary>
    Offline,
}

public sealed record ChargeResult(ChargeOutcome Outcome, string? PaymentId, string? Detail);

public enum RefundOutcome
{
    Refunded,

    /// <summary>The provider refused the refund; nothing was refunded.</summary>
    Refused,

    Offline,
}

public sealed record RefundResult(RefundOutcome Outcome, string? PaymentId, string? Detail);

/// <summary>A checkout begun with the provider: the account it will become, and where the payer approves it.</summary>
public sealed record CheckoutStarted(PaymentAccount Account, Uri ApprovalUrl);

/// <summary>
/// The payment provider, as billing needs it. Every call that moves money takes a key derived from what it does (an
/// invoice and attempt, a refund's id), which the adapter sends as the provider's idempotency key: a retry, a crash and
/// restart, or a replayed workflow then charges once. A provider that cannot be reached throws; the workflow retries.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>False when billing runs offline: nothing is charged, invoices are still issued.</summary>
    bool IsOnline { get; }

    Task<ChargeResult> ChargeAsync(PaymentAccount account, Invoice invoice, int attempt, CancellationToken cancellationToken = default);

    Task<RefundResult> RefundAsync(Invoice invoice, InvoiceRefund refund, CancellationToken cancellationToken = default);

    /// <summary>Begins a subscription to the plan with the provider; the payer approves it at the returned address.</summary>
    Task<CheckoutStarted> StartCheckoutAsync(string tenantId, Plan plan, Uri returnUrl, Uri cancelUrl, string requestKey, CancellationToken cancellationToken = default);

    /// <summary>Closes the account for good: it bills nothing more, and nothing more can be charged to it.</summary>
    Task CancelAsync(PaymentAccount account, string reason, string requestKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops the provider's own renewals while a balance due (the final invoice of a cancelled plan) can still be
    /// charged; <see cref="CancelAsync"/> follows once nothing is owed.
    /// </summary>
    Task StopRenewalsAsync(PaymentAccount account, string reason, string requestKey, CancellationToken cancellationToken = default);
}
