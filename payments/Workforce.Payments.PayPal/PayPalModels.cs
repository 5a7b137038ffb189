namespace Workforce.Payments.PayPal;

/// <summary>A catalog product (<c>/v1/catalogs/products</c>); the id is ours, so creating it twice finds the first.</summary>
public sealed record PayPalProductDefinition(string Id, string Name, string? Description = null, string Type = "SERVICE", string? Category = "SOFTWARE");

public sealed record PayPalProduct(string Id, string Name, string? Type);

/// <summary>The billing period of a plan: <c>interval_unit</c> DAY, WEEK, MONTH or YEAR, times <c>interval_count</c>.</summary>
public sealed record PayPalBillingInterval(string Unit, int Count)
{
    public static PayPalBillingInterval Days(int count) => new("DAY", count);

    public static PayPalBillingInterval Months(int count) => new("MONTH", count);
}

/// <summary>
/// A billing plan with one regular, endless cycle at a fixed price. PayPal gives plans its own ids, so a plan is found
/// again by product, name, price and interval; <see cref="PaymentFailureThreshold"/> failed payments suspend the
/// subscription, and <see cref="AutoBillOutstanding"/> bills an outstanding balance with the next cycle.
/// </summary>
public sealed record PayPalPlanDefinition(
    string ProductId,
    string Name,
    PayPalMoney Price,
    PayPalBillingInterval Interval,
    string? Description = null,
    bool AutoBillOutstanding = true,
    int PaymentFailureThreshold = 3);

public sealed record PayPalPlan(string Id, string ProductId, string Name, string Status, PayPalMoney? Price, PayPalBillingInterval? Interval);

/// <summary>What a new subscription needs: the plan, our tenant as <c>custom_id</c>, and where PayPal sends the payer back.</summary>
public sealed record PayPalSubscriptionRequest(
    string PlanId,
    string CustomId,
    Uri ReturnUrl,
    Uri CancelUrl,
    string? BrandName = null,
    string? SubscriberEmail = null,
    DateTimeOffset? StartTime = null);

public enum PayPalSubscriptionStatus
{
    Unknown,
    ApprovalPending,
    Approved,
    Active,
    Suspended,
    Cancelled,
    Expired,
}

/// <summary>A subscription as PayPal reports it; <see cref="ApprovalUrl"/> (link rel "approve") is where the payer consents.</summary>
public sealed record PayPalSubscription(
    string Id,
    PayPalSubscriptionStatus Status,
    string? PlanId,
    string? CustomId,
    Uri? ApprovalUrl,
    PayPalMoney? OutstandingBalance,
    PayPalMoney? LastPaymentAmount,
    DateTimeOffset? LastPaymentTime,
    DateTimeOffset? NextBillingTime,
    int FailedPaymentsCount,
    DateTimeOffset? StatusUpdateTime);

public enum PayPalChargeOutcome
{
    /// <summary>The money was taken; <see cref="PayPalCaptureResult.TransactionId"/> names the capture to refund.</summary>
    Completed,

    /// <summary>Accepted but not settled (202, or status PENDING); a webhook or a later read tells the end.</summary>
    Pending,

    /// <summary>PayPal refused the charge (422, or status DECLINED); <see cref="PayPalCaptureResult.Error"/> says why.</summary>
    Declined,
}

public sealed record PayPalCaptureResult(PayPalChargeOutcome Outcome, string? TransactionId, string? Status, PayPalMoney? Amount, DateTimeOffset? Time, PayPalError? Error);

public enum PayPalRefundOutcome
{
    Completed,
    Pending,

    /// <summary>PayPal refused the refund (422: more than is left, already fully refunded, …); nothing was refunded.</summary>
    Refused,

    /// <summary>PayPal took the refund but reports it FAILED or CANCELLED.</summary>
    Failed,
}

public sealed record PayPalRefundResult(PayPalRefundOutcome Outcome, string? RefundId, string? Status, PayPalMoney? Amount, PayPalError? Error);

/// <summary>
/// One webhook delivery as it arrived: PayPal's transmission headers and the body exactly as received. The body is
/// passed on verbatim, since PayPal checks the signature over the bytes it sent.
/// </summary>
public sealed record PayPalWebhookDelivery(
    string TransmissionId,
    string TransmissionTime,
    string TransmissionSignature,
    string CertUrl,
    string AuthAlgorithm,
    string Body)
{
    public const string TransmissionIdHeader = "PAYPAL-TRANSMISSION-ID";
    public const string TransmissionTimeHeader = "PAYPAL-TRANSMISSION-TIME";
    public const string TransmissionSignatureHeader = "PAYPAL-TRANSMISSION-SIG";
    public const string CertUrlHeader = "PAYPAL-CERT-URL";
    public const string AuthAlgorithmHeader = "PAYPAL-AUTH-ALGO";

    /// <summary>Reads the five headers (case-insensitively, by the given lookup); null when any is missing.</summary>
    public static PayPalWebhookDelivery? FromHeaders(Func<string, string?> header, string body)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header(TransmissionIdHeader) is { Length: > 0 } id
            && header(TransmissionTimeHeader) is { Length: > 0 } time
            && header(TransmissionSignatureHeader) is { Length: > 0 } signature
            && header(CertUrlHeader) is { Length: > 0 } certUrl
            && header(AuthAlgorithmHeader) is { Length: > 0 } algorithm
                ? new PayPalWebhookDelivery(id, time, signature, certUrl, algorithm, body)
                : null;
    }
}

public enum PayPalWebhookVerification
{
    Success,
    Failure,
}
