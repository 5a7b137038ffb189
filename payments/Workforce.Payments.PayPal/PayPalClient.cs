using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workforce.Payments.PayPal.Wire;

namespace Workforce.Payments.PayPal;

/// <summary>
/// The typed client over PayPal's REST API (developer.paypal.com; request and response shapes as in PayPal's
/// published OpenAPI documents). Authentication is added by <see cref="PayPalAuthenticationHandler"/>, retries and
/// timeouts by the resilience pipeline <see cref="PayPalServices.AddPayPal"/> puts around it; this class builds the
/// requests, carries the caller's PayPal-Request-Id and reads the answers.
/// </summary>
internal sealed class PayPalClient(HttpClient http, IOptions<PayPalOptions> options, ILogger<PayPalClient> logger) : IPayPalClient
{
    public const string RequestIdHeader = "PayPal-Request-Id";

    private static readonly Dictionary<string, PayPalSubscriptionStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["APPROVAL_PENDING"] = PayPalSubscriptionStatus.ApprovalPending,
        ["APPROVED"] = PayPalSubscriptionStatus.Approved,
        ["ACTIVE"] = PayPalSubscriptionStatus.Active,
        ["SUSPENDED"] = PayPalSubscriptionStatus.Suspended,
        ["CANCELLED"] = PayPalSubscriptionStatus.Cancelled,
        ["EXPIRED"] = PayPalSubscriptionStatus.Expired,
    };

    public bool IsConfigured => options.Value.IsConfigured;

    public async Task<PayPalProduct> EnsureProductAsync(PayPalProductDefinition product, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(product);
        if (await FindProductAsync(product.Id, cancellationToken) is { } existing)
        {
            return existing;
        }

        var requestId = DerivedRequestId("product", product.Id);
        var body = new ProductRequestJson(product.Id, product.Name, product.Description, product.Type, product.Category);
        return await CallAsync(HttpMethod.Post, "v1/catalogs/products", body, requestId, async response =>
        {
            if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
            {
                // DUPLICATE_RESOURCE_IDENTIFIER: another instance created it between our look and our create.
                return await FindProductAsync(product.Id, cancellationToken) ?? throw await PayPalResponses.FailureAsync(response, cancellationToken);
            }

            await PayPalResponses.EnsureSuccessAsync(response, cancellationToken);
            var created = await PayPalResponses.ReadAsync<ProductJson>(response, cancellationToken);
            PayPalLog.Created(logger, "product", created.Id, requestId);
            return new PayPalProduct(created.Id, created.Name, created.Type);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<PayPalPlan>> ListPlansAsync(string productId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(productId);
        var plans = new List<PayPalPlan>();
        for (var page = 1; ; page++)
        {
            var path = $"v1/billing/plans?product_id={Uri.EscapeDataString(productId)}&page_size=20&page={page}&total_required=true";
            var collection = await CallAsync(HttpMethod.Get, path, body: null, requestId: null, async response =>
            {
                await PayPalResponses.EnsureSuccessAsync(response, cancellationToken);
                return await PayPalResponses.ReadAsync<PlanCollectionJson>(response, cancellationToken);
            }, cancellationToken);
            plans.AddRange((collection.Plans ?? []).Select(ToPlan));
            if ((collection.Plans?.Count ?? 0) == 0 || page >= (collection.TotalPages ?? 1))
            {
                return plans;
            }
        }
    }

    public async Task<PayPalPlan> EnsurePlanAsync(PayPalPlanDefinition plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var existing = (await ListPlansAsync(plan.ProductId, cancellationToken)).FirstOrDefault(p =>
            p.Name == plan.Name && p.Price == plan.Price && p.Interval == plan.Interval && p.Status is "ACTIVE" or "CREATED");
        if (existing is not null)
        {
            return existing;
        }

        // The id names the plan's content, so two instances starting at once create one plan, not two.
        var requestId = DerivedRequestId(
            "plan", plan.ProductId, plan.Name, plan.Price.ToString(), plan.Interval.Unit, plan.Interval.Count.ToString(CultureInfo.InvariantCulture));
        var body = new PlanRequestJson(
            plan.ProductId,
            plan.Name,
            plan.Description,
            "ACTIVE",
            [new BillingCycleJson(
                new FrequencyJson(plan.Interval.Unit, plan.Interval.Count), "REGULAR", Sequence: 1, TotalCycles: 0,
                new PricingSchemeJson(MoneyJson.From(plan.Price)))],
            new PaymentPreferencesJson(plan.AutoBillOutstanding, "CONTINUE", plan.PaymentFailureThreshold));
        return await CallAsync(HttpMethod.Post, "v1/billing/plans", body, requestId, async response =>
        {
            await PayPalResponses.EnsureSuccessAsync(response, cancellationToken);
            var created = ToPlan(await PayPalResponses.ReadAsync<PlanJson>(response, cancellationToken));
            PayPalLog.Created(logger, "plan", created.Id, requestId);
            return created;
        }, cancellationToken);
    }

    public Task<PayPalSubscription> CreateSubscriptionAsync(PayPalSubscriptionRequest subscription, string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var body = new SubscriptionRequestJson(
            subscription.PlanId,
            subscription.StartTime?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            subscription.CustomId,
            subscription.SubscriberEmail is { } email ? new SubscriberJson(email) : null,
            new ApplicationContextJson(subscription.BrandName, "NO_SHIPPING", "SUBSCRIBE_NOW", subscription.ReturnUrl.AbsoluteUri, subscription.CancelUrl.AbsoluteUri));
        return CallAsync(HttpMethod.Post, "v1/billing/subscriptions", body, RequireRequestId(requestId), async response =>
        {
            await PayPalResponses.EnsureSuccessAsync(response, cancellationToken);
            var created = ToSubscription(await PayPalResponses.ReadAsync<SubscriptionJson>(response, cancellationToken));
            PayPalLog.Created(logger, "subscription", created.Id, requestId);
            return created;
        }, cancellationToken);
    }

    public Task<PayPalSubscription> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        return CallAsync(HttpMethod.Get, $"v1/billing/subscriptions/{Uri.EscapeDataString(subscriptionId)}", body: null, requestId: null, async response =>
        {
            await PayPalResponses.EnsureSuccessAsync(response, cancellationToken);
            return ToSubscription(await PayPalResponses.ReadAsync<SubscriptionJson>(response, cancellationToken));
        }, cancellationToken);
    }

    public Task SuspendSubscriptionAsync(string subscriptionId, string reason, string requestId, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync(subscriptionId, "suspend", reason, requestId, PayPalSubscriptionStatus.Suspended, cancellationToken);

    public Task ActivateSubscriptionAsync(string subscriptionId, string reason, string requestId, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync(subscriptionId, "activate", reason, requestId, PayPalSubscriptionStatus.Active, cancellationToken);

    public Task CancelSubscriptionAsync(string subscriptionId, string reason, string requestId, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync(subscriptionId, "cancel", reason, requestId, PayPalSubscriptionStatus.Cancelled, cancellationToken);

    public Task SetOutstandingBalanceAsync(string subscriptionId, PayPalMoney balance, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        // A replace sets a value, so sending it again is harmless: PATCH needs no PayPal-Request-Id (and takes none).
        PatchJson[] body = [new("replace", "/billing_info/outstanding_balance", MoneyJson.From(balance))];
        return CallAsync(HttpMethod.Patch, $"v1/billing/subscriptions/{Uri.EscapeDataString(subscriptionId)}", body, requestId: null, async response =>
        {
            await PayPalResponses.EnsureSuccessAsync(response, cancellationToken);
            return true;
        }, cancellationToken);
    }

    public Task<PayPalCaptureResult> CaptureOutstandingBalanceAsync(string subscriptionId, PayPalMoney amount, string note, string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(note);
        var body = new CaptureRequestJson(note, "OUTSTANDING_BALANCE", MoneyJson.From(amount));
        return CallAsync(HttpMethod.Post, $"v1/billing/subscriptions/{Uri.EscapeDataString(subscriptionId)}/capture", body, RequireRequestId(requestId), async response =>
        {
            PayPalCaptureResult result;
            if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
            {
                result = new(PayPalChargeOutcome.Declined, null, null, amount, null, await PayPalResponses.ReadErrorAsync(response, cancellationToken));
            }
            else if (response.StatusCode == HttpStatusCode.Accepted)
            {
                result = new(PayPalChargeOutcome.Pending, null, null, amount, null, null);
            }
            else
            {
                await PayPalResponses.EnsureSuccessAsync(response, cancellationToken);
                var transaction = await PayPalResponses.ReadAsync<TransactionJson>(response, cancellationToken);
                var outcome = transaction.Status switch
                {
                    "COMPLETED" or "PARTIALLY_REFUNDED" or "REFUNDED" => PayPalChargeOutcome.Completed,
                    "DECLINED" => PayPalChargeOutcome.Declined,
                    _ => PayPalChargeOutcome.Pending,
                };
                result = new(outcome, transaction.Id, transaction.Status, transaction.AmountWithBreakdown?.GrossAmount?.ToMoney() ?? amount, transaction.Time, null);
            }

            PayPalLog.Charged(logger, subscriptionId, requestId, result.Outcome, amount, result.TransactionId);
            return result;
        }, cancellationToken);
    }

    public Task<PayPalRefundResult> RefundCaptureAsync(string captureId, PayPalMoney? amount, string? noteToPayer, string? invoiceId, string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(captureId);
        // An empty object refunds whatever is left of the capture.
        var body = new RefundRequestJson(amount is { } partial ? MoneyJson.From(partial) : null, invoiceId, noteToPayer);
        return CallAsync(HttpMethod.Post, $"v2/payments/captures/{Uri.EscapeDataString(captureId)}/refund", body, RequireRequestId(requestId), async response =>
        {
            PayPalRefundResult result;
            if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
            {
                result = new(PayPalRefundOutcome.Refused, null, null, amount, await PayPalResponses.ReadErrorAsync(response, cancellationToken));
            }
            else
            {
                await PayPalResponses.EnsureSuccessAsync(response, cancellationToken);
                var refund = await PayPalResponses.ReadAsync<RefundJson>(response, cancellationToken);
                var outcome = refund.Status switch
                {
                    "COMPLETED" => PayPalRefundOutcome.Completed,
                    "FAILED" or "CANCELLED" => PayPalRefundOutcome.Failed,
                    _ => PayPalRefundOutcome.Pending,
                };
                result = new(outcome, refund.Id, refund.Status, refund.Amount?.ToMoney() ?? amount, null);
            }

            PayPalLog.Refunded(logger, captureId, requestId, result.Outcome, result.Amount, result.RefundId);
            return result;
        }, cancellationToken);
    }

    public async Task<PayPalWebhookVerification> VerifyWebhookSignatureAsync(PayPalWebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var webhookId = options.Value.WebhookId;
        if (string.IsNullOrWhiteSpace(webhookId))
        {
            throw new InvalidOperationException($"Set {PayPalOptions.Section}:WebhookId to verify webhook deliveries.");
        }

        byte[] body;
        try
        {
            body = VerificationBody(delivery, webhookId);
        }
        catch (JsonException)
        {
            // Not JSON: nothing PayPal sent.
            PayPalLog.WebhookRejected(logger, delivery.TransmissionId);
            return PayPalWebhookVerification.Failure;
        }

        var verdict = await CallAsync(HttpMethod.Post, "v1/notifications/verify-webhook-signature", body, DerivedRequestId("verify", delivery.TransmissionId), async response =>
        {
            await PayPalResponses.EnsureSuccessAsync(response, cancellationToken);
            var answer = await PayPalResponses.ReadAsync<VerificationJson>(response, cancellationToken);
            return answer.VerificationStatus == "SUCCESS" ? PayPalWebhookVerification.Success : PayPalWebhookVerification.Failure;
        }, cancellationToken);
        if (verdict == PayPalWebhookVerification.Failure)
        {
            PayPalLog.WebhookRejected(logger, delivery.TransmissionId);
        }

        return verdict;
    }

    /// <summary>
    /// The request with the event embedded byte for byte as it arrived: PayPal checks the signature over the body it
    /// sent, and a re-serialised event (other spacing, other number formats) would fail verification.
    /// </summary>
    private static byte[] VerificationBody(PayPalWebhookDelivery delivery, string webhookId)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("auth_algo", delivery.AuthAlgorithm);
            writer.WriteString("cert_url", delivery.CertUrl);
            writer.WriteString("transmission_id", delivery.TransmissionId);
            writer.WriteString("transmission_sig", delivery.TransmissionSignature);
            writer.WriteString("transmission_time", delivery.TransmissionTime);
            writer.WriteString("webhook_id", webhookId);
            writer.WritePropertyName("webhook_event");
            writer.WriteRawValue(delivery.Body);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task ChangeStatusAsync(string subscriptionId, string action, string reason, string requestId, PayPalSubscriptionStatus target, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var path = $"v1/billing/subscriptions/{Uri.EscapeDataString(subscriptionId)}/{action}";
        var refusal = await CallAsync(HttpMethod.Post, path, new ReasonJson(reason), RequireRequestId(requestId), async response =>
        {
            if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
            {
                return await PayPalResponses.FailureAsync(response, cancellationToken);
            }

            await PayPalResponses.EnsureSuccessAsync(response, cancellationToken);
            return null;
        }, cancellationToken);
        if (refusal is null)
        {
            return;
        }

        // SUBSCRIPTION_STATUS_INVALID after a retry or a replay: the first attempt may have done it already.
        var current = await GetSubscriptionAsync(subscriptionId, cancellationToken);
        if (current.Status != target)
        {
            throw refusal;
        }
    }

    private async Task<PayPalProduct?> FindProductAsync(string productId, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(HttpMethod.Get, $"v1/catalogs/products/{Uri.EscapeDataString(productId)}", body: null, requestId: null, async response =>
            {
                await PayPalResponses.EnsureSuccessAsync(response, cancellationToken);
                var product = await PayPalResponses.ReadAsync<ProductJson>(response, cancellationToken);
                return new PayPalProduct(product.Id, product.Name, product.Type);
            }, cancellationToken);
        }
        catch (PayPalNotFoundException)
        {
            return null;
        }
    }

    private async Task<T> CallAsync<T>(HttpMethod method, string path, object? body, string? requestId, Func<HttpResponseMessage, Task<T>> read, CancellationToken cancellationToken)
    {
        if (!options.Value.IsConfigured)
        {
            throw new PayPalNotConfiguredException();
        }

        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            // Buffered bytes, so that every retry sends the same request.
            var bytes = body as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), PayPalJson.Options);
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new("application/json");
        }

        if (requestId is not null)
        {
            request.Headers.Add(RequestIdHeader, requestId);
        }

        request.Headers.Add("Prefer", "return=representation");
        request.Headers.Accept.Add(new("application/json"));
        using var response = await PayPalResponses.SendAsync(http, request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            PayPalLog.Failed(logger, method, request.RequestUri?.OriginalString ?? path, requestId, response.StatusCode, await PayPalResponses.ReadErrorAsync(response, cancellationToken));
        }

        return await read(response);
    }

    private static string RequireRequestId(string requestId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        return requestId;
    }

    /// <summary>A PayPal-Request-Id named by what a call does, short whatever the parts' lengths.</summary>
    private static string DerivedRequestId(string operation, params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        return $"workforce-{operation}-{Convert.ToHexStringLower(hash)[..32]}";
    }

    private static PayPalPlan ToPlan(PlanJson plan)
    {
        var regular = plan.BillingCycles?.FirstOrDefault(c => c.TenureType == "REGULAR");
        return new PayPalPlan(
            plan.Id,
            plan.ProductId ?? "",
            plan.Name ?? "",
            plan.Status ?? "",
            regular?.PricingScheme?.FixedPrice?.ToMoney(),
            regular is null ? null : new PayPalBillingInterval(regular.Frequency.IntervalUnit, regular.Frequency.IntervalCount));
    }

    private static PayPalSubscription ToSubscription(SubscriptionJson subscription)
    {
        var approve = subscription.Links?.FirstOrDefault(l => l.Rel == "approve")?.Href;
        var billing = subscription.BillingInfo;
        return new PayPalSubscription(
            subscription.Id,
            subscription.Status is { } status && Statuses.TryGetValue(status, out var known) ? known : PayPalSubscriptionStatus.Unknown,
            subscription.PlanId,
            subscription.CustomId,
            approve is null ? null : new Uri(approve),
            billing?.OutstandingBalance?.ToMoney(),
            billing?.LastPayment?.Amount?.ToMoney(),
            billing?.LastPayment?.Time,
            billing?.NextBillingTime,
            billing?.FailedPaymentsCount ?? 0,
            subscription.StatusUpdateTime);
    }
}
