namespace Workforce.Payments.PayPal;

/// <summary>
/// The PayPal REST operations billing uses. Every POST takes a <c>requestId</c> that goes out as
/// <c>PayPal-Request-Id</c>: derive it from what the call does (an invoice id and attempt, a refund id), never at random,
/// so that a retry, a crash and restart, or a replayed workflow sends the same id and PayPal does the work once.
/// PayPal keeps the ids for a limited time (72 hours on subscriptions, 45 days on refunds).
/// </summary>
public interface IPayPalClient
{
    /// <summary>Whether credentials are configured; when false every call throws <see cref="PayPalNotConfiguredException"/>.</summary>
    bool IsConfigured { get; }

    /// <summary>The product with this id, created if PayPal does not have it yet.</summary>
    Task<PayPalProduct> EnsureProductAsync(PayPalProductDefinition product, CancellationToken cancellationToken = default);

    /// <summary>The plans of a product (<c>GET /v1/billing/plans?product_id=</c>, every page).</summary>
    Task<IReadOnlyList<PayPalPlan>> ListPlansAsync(string productId, CancellationToken cancellationToken = default);

    /// <summary>The plan matching the definition's product, name, price and interval, created if there is none.</summary>
    Task<PayPalPlan> EnsurePlanAsync(PayPalPlanDefinition plan, CancellationToken cancellationToken = default);

    /// <summary>A new subscription in APPROVAL_PENDING; send the payer to its <see cref="PayPalSubscription.ApprovalUrl"/>.</summary>
    Task<PayPalSubscription> CreateSubscriptionAsync(PayPalSubscriptionRequest subscription, string requestId, CancellationToken cancellationToken = default);

    Task<PayPalSubscription> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Suspends an ACTIVE subscription; one already SUSPENDED is left as it is.</summary>
    Task SuspendSubscriptionAsync(string subscriptionId, string reason, string requestId, CancellationToken cancellationToken = default);

    /// <summary>Reactivates a SUSPENDED subscription; one already ACTIVE is left as it is.</summary>
    Task ActivateSubscriptionAsync(string subscriptionId, string reason, string requestId, CancellationToken cancellationToken = default);

    /// <summary>Cancels an ACTIVE or SUSPENDED subscription; one already CANCELLED is left as it is.</summary>
    Task CancelSubscriptionAsync(string subscriptionId, string reason, string requestId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the subscription's outstanding balance (<c>PATCH</c> replace of <c>/billing_info/outstanding_balance</c>),
    /// the published way to put an amount that is not the plan fee (overage) in front of a capture.
    /// </summary>
    Task SetOutstandingBalanceAsync(string subscriptionId, PayPalMoney balance, CancellationToken cancellationToken = default);

    /// <summary>
    /// Charges up to the outstanding balance now (<c>POST /v1/billing/subscriptions/{id}/capture</c>, capture_type
    /// OUTSTANDING_BALANCE). A decline is a result, not an exception.
    /// </summary>
    Task<PayPalCaptureResult> CaptureOutstandingBalanceAsync(string subscriptionId, PayPalMoney amount, string note, string requestId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Refunds a capture (<c>POST /v2/payments/captures/{id}/refund</c>): all that is left of it when
    /// <paramref name="amount"/> is null, else that much. A refusal (more than is left, …) is a result.
    /// </summary>
    Task<PayPalRefundResult> RefundCaptureAsync(string captureId, PayPalMoney? amount, string? noteToPayer, string? invoiceId, string requestId, CancellationToken cancellationToken = default);

    /// <summary>Asks PayPal whether a delivery is genuine (<c>POST /v1/notifications/verify-webhook-signature</c>) for the configured webhook id.</summary>
    Task<PayPalWebhookVerification> VerifyWebhookSignatureAsync(PayPalWebhookDelivery delivery, CancellationToken cancellationToken = default);
}
