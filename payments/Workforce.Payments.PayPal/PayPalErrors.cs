using System.Net;

namespace Workforce.Payments.PayPal;

/// <summary>
/// PayPal's error body (<c>{name, message, debug_id, details[]}</c>); the OAuth endpoint's
/// <c>{error, error_description}</c> is read into the same shape. <see cref="DebugId"/> is what PayPal support asks for.
/// </summary>
public sealed record PayPalError(string Name, string Message, string? DebugId, IReadOnlyList<PayPalErrorDetail> Details)
{
    /// <summary>The first detail's issue (e.g. <c>REFUND_AMOUNT_EXCEEDED</c>), the most specific reason PayPal gives.</summary>
    public string? Issue => Details.Count > 0 ? Details[0].Issue : null;

    public bool Has(string issue) => Details.Any(d => string.Equals(d.Issue, issue, StringComparison.Ordinal));

    public override string ToString() =>
        $"{Name}{(Issue is null ? "" : "/" + Issue)}: {(Details.Count > 0 && Details[0].Description is { } d ? d : Message)}{(DebugId is null ? "" : $" (debug_id {DebugId})")}";
}

public sealed record PayPalErrorDetail(string? Field, string? Value, string? Location, string Issue, string? Description);

/// <summary>A call to PayPal that did not do what it asked; the subclasses say why.</summary>
public class PayPalException(string message, HttpStatusCode? status = null, PayPalError? error = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;

    public PayPalError? Error { get; } = error;
}

/// <summary>The credentials were refused (<c>invalid_client</c>), or a fresh token was refused too (401 twice).</summary>
public sealed class PayPalAuthenticationException(string message, HttpStatusCode? status, PayPalError? error)
    : PayPalException(message, status, error);

/// <summary>404 <c>RESOURCE_NOT_FOUND</c>: no such product, plan, subscription or capture.</summary>
public sealed class PayPalNotFoundException(string message, PayPalError? error)
    : PayPalException(message, HttpStatusCode.NotFound, error);

/// <summary>
/// PayPal refused the request as it stands (400, 403, 409, or a 422 of an operation that has no result type for it):
/// retrying it unchanged will not help.
/// </summary>
public sealed class PayPalRejectedException(string message, HttpStatusCode status, PayPalError? error)
    : PayPalException(message, status, error);

/// <summary>
/// PayPal did not answer usefully within the retries and timeouts (5xx, 429, timeouts, broken connections). For a POST
/// the outcome is unknown: call again with the same PayPal-Request-Id and PayPal answers what it did the first time.
/// </summary>
public sealed class PayPalUnavailableException(string message, HttpStatusCode? status, PayPalError? error, Exception? inner)
    : PayPalException(message, status, error, inner);

/// <summary>Thrown instead of sending anything when no credentials are configured (offline billing).</summary>
public sealed class PayPalNotConfiguredException()
    : PayPalException($"PayPal is not configured: set {PayPalOptions.Section}:ClientId and ClientSecret, or run billing offline.");
