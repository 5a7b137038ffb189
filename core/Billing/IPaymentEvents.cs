namespace Workforce.Core.Billing;

/// <summary>What a provider's notification says happened, in the platform's terms.</summary>
public enum PaymentEventKind
{
    AccountActivated,
    AccountCancelled,
    AccountSuspended,

    /// <summary>The provider failed to collect a renewal (the amount is added to the account's outstanding balance).</summary>
    PaymentFailed,

    PaymentCompleted,
    PaymentRefunded,

    /// <summary>A payment taken back: a chargeback or a dispute lost.</summary>
    PaymentReversed,
}

/// <summary>
/// One notification from the payment provider, verified. It says what the provider reported, not what is true now:
/// notifications arrive late, twice and out of order, so <see cref="ReconcilePaymentEvent"/> reads the account back
/// before it changes anything.
/// </summary>
/// <param name="AccountReference">The provider's account (a PayPal subscription id), when the event names one.</param>
/// <param name="PaymentId">The payment concerned (a sale or capture id): what an invoice records as paid.</param>
/// <param name="RefundId">The provider's refund, on a refund.</param>
/// <param name="Amount">The amount of a payment or refund, in major units of <paramref name="Currency"/>.</param>
public sealed record PaymentEvent(
    string Provider,
    string EventId,
    string EventType,
    PaymentEventKind Kind,
    string? AccountReference,
    string? PaymentId = null,
    string? RefundId = null,
    decimal? Amount = null,
    string? Currency = null);

public enum PaymentEventVerdict
{
    /// <summary>Genuine, and of a kind billing acts on.</summary>
    Accepted,

    /// <summary>Genuine, of a kind billing does not act on: acknowledged and dropped.</summary>
    Ignored,

    /// <summary>Not proven to come from the provider: refused, nothing changes.</summary>
    NotGenuine,
}

public sealed record ReceivedPaymentEvent(PaymentEventVerdict Verdict, string? EventId, string? EventType, PaymentEvent? Event, string? Detail);

public enum PaymentAccountState
{
    /// <summary>Created, waiting for the payer's approval.</summary>
    Pending,

    Active,
    Suspended,

    /// <summary>Cancelled or expired: it bills no more.</summary>
    Cancelled,
}

/// <summary>An account as the provider holds it now: its state, the tenant it was opened for and the plan it bills.</summary>
/// <param name="PlanId">The platform's plan the account bills, when the provider's plan is one of the catalogue's.</param>
/// <param name="OutstandingMinor">What the provider still has to collect, in minor units.</param>
public sealed record PaymentAccountStanding(PaymentAccount Account, PaymentAccountState State, string? TenantId, string? PlanId, long OutstandingMinor);

/// <summary>
/// The payment provider's notifications (webhooks) and the read-back that reconciles them. A separate port from
/// <see cref="IPaymentGateway"/>, which moves money; this one only reads.
/// </summary>
public interface IPaymentEvents
{
    /// <summary>Asks the provider whether a delivery is genuine, and reads what it reports.</summary>
    /// <param name="header">The delivery's headers, case-insensitively.</param>
    /// <param name="body">The body exactly as received: the signature covers its bytes.</param>
    Task<ReceivedPaymentEvent> VerifyAsync(Func<string, string?> header, string body, CancellationToken cancellationToken = default);

    /// <returns>The account as the provider holds it, or null when the provider does not know it.</returns>
    Task<PaymentAccountStanding?> ReadAccountAsync(string reference, CancellationToken cancellationToken = default);
}

/// <summary>No provider configured: there is nothing to notify and nothing to read back.</summary>
public sealed class OfflinePaymentEvents : IPaymentEvents
{
    public Task<ReceivedPaymentEvent> VerifyAsync(Func<string, string?> header, string body, CancellationToken cancellationToken = default) =>
        throw new PaymentsOfflineException();

    public Task<PaymentAccountStanding?> ReadAccountAsync(string reference, CancellationToken cancellationToken = default) =>
        throw new PaymentsOfflineException();
}
