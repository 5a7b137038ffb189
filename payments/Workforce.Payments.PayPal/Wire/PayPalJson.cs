using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workforce.Payments.PayPal.Wire;

/// <summary>PayPal's JSON: snake_case names, absent rather than null optional fields.</summary>
internal static class PayPalJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

internal sealed record MoneyJson(string CurrencyCode, string Value)
{
    public static MoneyJson From(PayPalMoney money) => new(money.CurrencyCode, money.WireValue);

    public PayPalMoney ToMoney() => PayPalMoney.Parse(CurrencyCode, Value);
}

internal sealed record LinkJson(string Href, string Rel, string? Method);

internal sealed record ErrorJson(
    string? Name,
    string? Message,
    string? DebugId,
    IReadOnlyList<ErrorDetailJson>? Details,
    string? Error,
    string? ErrorDescription);

internal sealed record ErrorDetailJson(string? Field, string? Value, string? Location, string? Issue, string? Description);

internal sealed record TokenJson(string AccessToken, string? TokenType, int ExpiresIn, string? Scope, string? AppId, string? Nonce);

internal sealed record ProductRequestJson(string Id, string Name, string? Description, string Type, string? Category);

internal sealed record ProductJson(string Id, string Name, string? Type);

internal sealed record FrequencyJson(string IntervalUnit, int IntervalCount);

internal sealed record PricingSchemeJson(MoneyJson? FixedPrice);

internal sealed record BillingCycleJson(FrequencyJson Frequency, string TenureType, int Sequence, int TotalCycles, PricingSchemeJson? PricingScheme);

internal sealed record PaymentPreferencesJson(bool AutoBillOutstanding, string? SetupFeeFailureAction, int PaymentFailureThreshold);

internal sealed record PlanRequestJson(
    string ProductId,
    string Name,
    string? Description,
    string Status,
    IReadOnlyList<BillingCycleJson> BillingCycles,
    PaymentPreferencesJson PaymentPreferences);

internal sealed record PlanJson(string Id, string? ProductId, string? Name, string? Status, IReadOnlyList<BillingCycleJson>? BillingCycles);

internal sealed record PlanCollectionJson(IReadOnlyList<PlanJson>? Plans, int? TotalItems, int? TotalPages);

internal sealed record SubscriberNameJson(string? GivenName, string? Surname);

internal sealed record SubscriberJson(string? EmailAddress);

internal sealed record ApplicationContextJson(string? BrandName, string ShippingPreference, string UserAction, string ReturnUrl, string CancelUrl);

internal sealed record SubscriptionRequestJson(
    string PlanId,
    string? StartTime,
    string CustomId,
    SubscriberJson? Subscriber,
    ApplicationContextJson ApplicationContext);

internal sealed record LastPaymentJson(MoneyJson? Amount, DateTimeOffset? Time);

internal sealed record BillingInfoJson(MoneyJson? OutstandingBalance, LastPaymentJson? LastPayment, DateTimeOffset? NextBillingTime, int? FailedPaymentsCount);

internal sealed record SubscriptionJson(
    string Id,
    string? Status,
    string? PlanId,
    string? CustomId,
    DateTimeOffset? StatusUpdateTime,
    BillingInfoJson? BillingInfo,
    IReadOnlyList<LinkJson>? Links);

internal sealed record ReasonJson(string Reason);

internal sealed record PatchJson(string Op, string Path, object Value);

internal sealed record CaptureRequestJson(string Note, string CaptureType, MoneyJson Amount);

internal sealed record AmountWithBreakdownJson(MoneyJson? GrossAmount, MoneyJson? FeeAmount, MoneyJson? NetAmount);

internal sealed record TransactionJson(string? Id, string? Status, AmountWithBreakdownJson? AmountWithBreakdown, DateTimeOffset? Time);

internal sealed record RefundRequestJson(MoneyJson? Amount, string? InvoiceId, string? NoteToPayer);

internal sealed record RefundJson(string? Id, string? Status, MoneyJson? Amount);

internal sealed record VerificationJson(string? VerificationStatus);
