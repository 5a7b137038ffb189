using System.Net;
using Microsoft.Extensions.Logging;

namespace Workforce.Payments.PayPal;

/// <summary>The adapter's log lines. None carries a credential, a token or a request body.</summary>
internal static partial class PayPalLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "PayPal access token obtained from {BaseUrl}, valid for {ExpiresIn} s")]
    public static partial void TokenObtained(ILogger logger, Uri baseUrl, int expiresIn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PayPal refused the access token on {Method} {Path}; obtaining a new one and trying once more")]
    public static partial void TokenRefused(ILogger logger, HttpMethod method, string? path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PayPal {Method} {Path} (PayPal-Request-Id {RequestId}) attempt {Attempt} failed with {Outcome}; retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, HttpMethod? method, string? path, string? requestId, int attempt, string outcome, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PayPal {Method} {Path} (PayPal-Request-Id {RequestId}) answered {Status}: {Error}")]
    public static partial void Failed(ILogger logger, HttpMethod method, string path, string? requestId, HttpStatusCode status, PayPalError? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "PayPal created {Resource} {Id} (PayPal-Request-Id {RequestId})")]
    public static partial void Created(ILogger logger, string resource, string id, string? requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "PayPal charge on subscription {SubscriptionId} (PayPal-Request-Id {RequestId}): {Outcome} {Amount}, transaction {TransactionId}")]
    public static partial void Charged(ILogger logger, string subscriptionId, string requestId, PayPalChargeOutcome outcome, PayPalMoney amount, string? transactionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "PayPal refund of capture {CaptureId} (PayPal-Request-Id {RequestId}): {Outcome} {Amount}, refund {RefundId}")]
    public static partial void Refunded(ILogger logger, string captureId, string requestId, PayPalRefundOutcome outcome, PayPalMoney? amount, string? refundId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PayPal webhook transmission {TransmissionId} failed verification")]
    public static partial void WebhookRejected(ILogger logger, string transmissionId);
}
