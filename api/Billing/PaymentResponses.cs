namespace Workforce.Api.Billing;

/// <summary>
/// A checkout: the plan to pay for, and where the payer comes back to after approving or cancelling at PayPal (absolute
/// http(s) addresses; the dashboard of the host that took the request when left out).
/// </summary>
public sealed record CheckoutRequest(string? Plan, string? ReturnUrl = null, string? CancelUrl = null);

/// <summary>Send the payer to <see cref="ApprovalUrl"/>; the subscription takes the payment account once PayPal reports it active.</summary>
public sealed record CheckoutResponse(string ApprovalUrl, string SubscriptionId);

/// <summary>A webhook delivery acknowledged: stored for processing, or seen before (<see cref="Duplicate"/>), or of a type billing ignores.</summary>
public sealed record PaymentWebhookReceipt(string EventId, string EventType, bool Duplicate, bool Ignored);
