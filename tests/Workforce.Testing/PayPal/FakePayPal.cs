using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workforce.Testing.PayPal;

/// <summary>
/// A stateful stand-in for PayPal's REST API on 127.0.0.1 (a free port), speaking the published request and response
/// shapes (PayPal's OpenAPI documents for oauth2, catalogs-products, billing-subscriptions v1, payments v2 captures and
/// notifications): OAuth2 client-credentials tokens with expiry, products, plans, subscriptions that a test approves,
/// renewals, captures of the outstanding balance, refunds that cannot exceed their capture, PayPal-Request-Id
/// idempotency (the same id gets the same answer and does nothing twice), and webhook events signed as PayPal signs them
/// (SHA256withRSA over <c>transmission_id|transmission_time|webhook_id|crc32(body)</c>, with a certificate at
/// <c>cert_url</c>) whose verification succeeds only for deliveries it sent, unchanged. <see cref="Faults"/> injects
/// failures; <see cref="Charges"/> and <see cref="Refunds"/> are the ledger to assert on.
/// </summary>
public sealed partial class FakePayPal : IAsyncDisposable
{
    public const string ClientId = "fake-client-id";
    public const string ClientSecret = "fake-client-secret";
    public const string WebhookId = "1JE4291016473214C";
    public const string AuthAlgorithm = "SHA256withRSA";

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly WebApplication _app;
    private readonly RSA _signingKey = RSA.Create(2048);
    private readonly string _certificatePem;
    private readonly Dictionary<string, DateTimeOffset> _tokens = [];
    private readonly Dictionary<string, JsonObject> _products = [];
    private readonly Dictionary<string, JsonObject> _plans = [];
    private readonly Dictionary<string, Subscription> _subscriptions = [];
    private readonly Dictionary<string, Capture> _captures = [];
    private readonly Dictionary<string, JsonObject> _refunds = [];
    private readonly Dictionary<string, Answer> _answers = [];
    private readonly ConcurrentQueue<FakePayPalRequest> _requests = new();
    private readonly List<FakePayPalCharge> _charges = [];
    private readonly List<FakePayPalRefund> _refundLedger = [];
    private readonly List<FakePayPalEvent> _events = [];
    private readonly ConcurrentDictionary<string, FakePayPalDelivery> _deliveries = new();
    private readonly HttpClient _webhookSender = new() { Timeout = TimeSpan.FromSeconds(30) };
    private int _sequence;

    private FakePayPal(TimeProvider time)
    {
        _time = time;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(HandleAsync);
        var request = new CertificateRequest("CN=fake-paypal-webhooks", _signingKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(time.GetUtcNow().AddDays(-1), time.GetUtcNow().AddYears(1));
        _certificatePem = certificate.ExportCertificatePem();
    }

    /// <summary>The API root, like https://api-m.sandbox.paypal.com: the client's BaseUrl.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public FakePayPalFaults Faults { get; } = new();

    /// <summary>How long issued access tokens live (<c>expires_in</c>); PayPal's are about nine hours.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(9);

    public int TokensIssued { get; private set; }

    public IReadOnlyList<FakePayPalRequest> Requests => [.. _requests];

    public IReadOnlyList<FakePayPalCharge> Charges
    {
        get
        {
            lock (_gate)
            {
                return [.. _charges];
            }
        }
    }

    public IReadOnlyList<FakePayPalRefund> Refunds
    {
        get
        {
            lock (_gate)
            {
                return [.. _refundLedger];
            }
        }
    }

    public IReadOnlyList<FakePayPalEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public string CertUrl => new Uri(BaseAddress, "v1/notifications/certs/CERT-360caa42-fca2a594-fake").AbsoluteUri;

    public static async Task<FakePayPal> StartAsync(TimeProvider? time = null)
    {
        var fake = new FakePayPal(time ?? TimeProvider.System);
        await fake._app.StartAsync();
        var address = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Every access token issued so far stops working, as when PayPal expires or revokes them early.</summary>
    public void ExpireAccessTokens()
    {
        lock (_gate)
        {
            _tokens.Clear();
        }
    }

    /// <summary>The payer approves the subscription: it becomes ACTIVE and its first cycle is charged.</summary>
    public void Approve(string subscriptionId)
    {
        lock (_gate)
        {
            var subscription = _subscriptions[subscriptionId];
            if (subscription.Status != "APPROVAL_PENDING")
            {
                throw new InvalidOperationException($"Subscription {subscriptionId} is {subscription.Status}, not APPROVAL_PENDING.");
            }

            SetStatus(subscription, "ACTIVE", note: null);
            Raise("BILLING.SUBSCRIPTION.ACTIVATED", "subscription", subscription.Id, SubscriptionJson(subscription));
            Renew(subscription);
        }
    }

    /// <summary>
    /// The next cycle's date comes: PayPal bills an active subscription's plan fee (or fails to, after
    /// <see cref="FakePayPalFaults.FailNextRenewal"/>); a suspended or cancelled one is not billed.
    /// </summary>
    public void RenewCycle(string subscriptionId)
    {
        lock (_gate)
        {
            if (_subscriptions[subscriptionId] is { Status: "ACTIVE" } subscription)
            {
                Renew(subscription);
            }
        }
    }

    /// <summary>
    /// The payer's bank or card issuer takes back what is left of a capture (a chargeback): PayPal raises
    /// PAYMENT.SALE.REVERSED, whose resource names the sale and carries the amount taken back as a negative total.
    /// </summary>
    public void Reverse(string captureId)
    {
        lock (_gate)
        {
            var capture = _captures[captureId];
            var value = capture.Amount - capture.Refunded;
            capture.Refunded = capture.Amount;
            var now = Now();
            var id = NextId(17);
            Raise("PAYMENT.SALE.REVERSED", "refund", id, new JsonObject
            {
                ["id"] = id,
                ["state"] = "completed",
                ["amount"] = new JsonObject { ["total"] = "-" + Format(capture.CurrencyCode, value), ["currency"] = capture.CurrencyCode },
                ["sale_id"] = capture.Id,
                ["billing_agreement_id"] = capture.SubscriptionId,
                ["reason_code"] = "CHARGEBACK",
                ["create_time"] = now,
                ["update_time"] = now,
            });
        }
    }

    /// <summary>The subscription's outstanding balance as PayPal holds it.</summary>
    public decimal OutstandingBalanceOf(string subscriptionId)
    {
        lock (_gate)
        {
            return _subscriptions[subscriptionId].OutstandingBalance;
        }
    }

    public string StatusOf(string subscriptionId)
    {
        lock (_gate)
        {
            return _subscriptions[subscriptionId].Status;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _signingKey.Dispose();
        _webhookSender.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value!.TrimStart('/');
        var requestId = request.Headers["PayPal-Request-Id"].FirstOrDefault();
        var record = new FakePayPalRequest(request.Method, path + request.QueryString, requestId, _time.GetUtcNow());
        _requests.Enqueue(record);
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var answer = await AnswerAsync(request, path, requestId, body, context.RequestAborted);
        record.Status = answer.Status;
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? [])
        {
            context.Response.Headers[name] = value;
        }

        context.Response.Headers["Paypal-Debug-Id"] = answer.DebugId;
        if (answer.Body is not null)
        {
            context.Response.ContentType = answer.ContentType;
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
        }
    }

    private async Task<Answer> AnswerAsync(HttpRequest request, string path, string? requestId, string body, CancellationToken aborted)
    {
        // Front-door failures come before anything is looked at or done.
        if (Faults.TakeBefore(path) is { } fault)
        {
            return fault.Kind == FakePayPalFaults.FaultKind.Throttle
                ? Error(429, "RATE_LIMIT_REACHED", "Too many requests. Blocked due to rate limiting.", headers: [("Retry-After", ((int)Math.Ceiling(fault.Delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture))])
                : Error(fault.Status, fault.Status == 503 ? "SERVICE_UNAVAILABLE" : "INTERNAL_SERVER_ERROR", "An internal server error has occurred.");
        }

        if (request.Method == "POST" && path == "v1/oauth2/token")
        {
            return IssueToken(request, body);
        }

        if (request.Method == "GET" && path.StartsWith("v1/notifications/certs/", StringComparison.Ordinal))
        {
            return new Answer(200, _certificatePem, "application/x-pem-file");
        }

        if (request.Method == "GET" && path == "webapps/billing/subscriptions")
        {
            return ApproveByLink(request.Query["ba_token"].ToString());
        }

        if (Unauthenticated(request) is { } refusal)
        {
            return refusal;
        }

        // PayPal-Request-Id: a POST seen before gets the first answer again, and nothing is done twice.
        var idempotencyKey = request.Method == "POST" && requestId is not null ? $"{path} {requestId}" : null;
        Answer answer;
        lock (_gate)
        {
            if (idempotencyKey is not null && _answers.TryGetValue(idempotencyKey, out var earlier))
            {
                return earlier;
            }

            answer = Route(request.Method, path, request, body, requestId);
            if (idempotencyKey is not null && answer.Status < 500)
            {
                _answers[idempotencyKey] = answer;
            }
        }

        if (Faults.Take(path, FakePayPalFaults.FaultKind.DelayAfter) is { } delay)
        {
            try
            {
                await Task.Delay(delay.Delay, _time, aborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up waiting, as intended.
            }
        }

        return answer;
    }

    private Answer IssueToken(HttpRequest request, string body)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        if (request.Headers.Authorization.ToString() != expected)
        {
            return new Answer(401, """{"error":"invalid_client","error_description":"Client Authentication failed"}""", "application/json");
        }

        if (!request.HasFormContentType || !body.Split('&').Contains("grant_type=client_credentials"))
        {
            return new Answer(400, """{"error":"unsupported_grant_type","error_description":"Grant Type is NULL"}""", "application/json");
        }

        var token = "A21AA" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        lock (_gate)
        {
            _tokens[token] = _time.GetUtcNow() + TokenLifetime;
            TokensIssued++;
        }

        return Json(200, new JsonObject
        {
            ["scope"] = "https://uri.paypal.com/services/subscriptions https://uri.paypal.com/services/payments/refund https://uri.paypal.com/services/applications/webhooks",
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["app_id"] = "APP-80W284485P519543T",
            ["expires_in"] = (int)TokenLifetime.TotalSeconds,
            ["nonce"] = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..12],
        });
    }

    private Answer? Unauthenticated(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Error(401, "AUTHENTICATION_FAILURE", "Authentication failed due to missing authorization header, or invalid authentication credentials.");
        }

        lock (_gate)
        {
            return _tokens.TryGetValue(header["Bearer ".Length..], out var expiry) && expiry > _time.GetUtcNow()
                ? null
                : new Answer(401, """{"error":"invalid_token","error_description":"Access Token not found in cache"}""", "application/json");
        }
    }

    private Answer Route(string method, string path, HttpRequest request, string body, string? requestId)
    {
        var segments = path.Split('/');
        var minimal = request.Headers["Prefer"].ToString() != "return=representation";
        return (method, segments) switch
        {
            ("POST", ["v1", "catalogs", "products"]) => CreateProduct(Parse(body)),
            ("GET", ["v1", "catalogs", "products", var id]) => _products.TryGetValue(id, out var product) ? Json(200, product) : NotFound(),
            ("POST", ["v1", "billing", "plans"]) => CreatePlan(Parse(body), minimal),
            ("GET", ["v1", "billing", "plans"]) => ListPlans(request.Query, minimal),
            ("GET", ["v1", "billing", "plans", var id]) => _plans.TryGetValue(id, out var plan) ? Json(200, plan) : NotFound(),
            ("POST", ["v1", "billing", "subscriptions"]) => CreateSubscription(Parse(body), minimal),
            ("GET", ["v1", "billing", "subscriptions", var id]) => _subscriptions.TryGetValue(id, out var s) ? Json(200, SubscriptionJson(s)) : NotFound(),
            ("PATCH", ["v1", "billing", "subscriptions", var id]) => WithSubscription(id, s => Patch(s, body)),
            ("POST", ["v1", "billing", "subscriptions", var id, "suspend"]) => WithSubscription(id, s => ChangeStatus(s, "suspend", Parse(body))),
            ("POST", ["v1", "billing", "subscriptions", var id, "activate"]) => WithSubscription(id, s => ChangeStatus(s, "activate", Parse(body))),
            ("POST", ["v1", "billing", "subscriptions", var id, "cancel"]) => WithSubscription(id, s => ChangeStatus(s, "cancel", Parse(body))),
            ("POST", ["v1", "billing", "subscriptions", var id, "capture"]) => WithSubscription(id, s => CaptureBalance(s, Parse(body), path, requestId)),
            ("GET", ["v2", "payments", "captures", var id]) => _captures.TryGetValue(id, out var c) ? Json(200, CaptureJson(c)) : NotFound(),
            ("POST", ["v2", "payments", "captures", var id, "refund"]) => _captures.TryGetValue(id, out var c) ? Refund(c, Parse(body), minimal, requestId) : NotFound(),
            ("GET", ["v2", "payments", "refunds", var id]) => _refunds.TryGetValue(id, out var r) ? Json(200, r) : NotFound(),
            ("POST", ["v1", "notifications", "verify-webhook-signature"]) => VerifySignature(body),
            _ => NotFound(),
        };
    }

    private Answer CreateProduct(JsonObject? body)
    {
        if (body?["name"]?.GetValue<string>() is not { Length: > 0 } name || body["type"]?.GetValue<string>() is not ("PHYSICAL" or "DIGITAL" or "SERVICE"))
        {
            return Invalid("MISSING_REQUIRED_PARAMETER", "/name or /type", "A required field / parameter is missing.");
        }

        var id = body["id"]?.GetValue<string>() ?? "PROD-" + NextId(17);
        if (_products.ContainsKey(id))
        {
            return Unprocessable("DUPLICATE_RESOURCE_IDENTIFIER", "The value of a field should be unique.");
        }

        var now = Now();
        var product = new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["description"] = body["description"]?.DeepClone(),
            ["type"] = body["type"]!.DeepClone(),
            ["category"] = body["category"]?.DeepClone(),
            ["create_time"] = now,
            ["update_time"] = now,
            ["links"] = Links(("self", $"v1/catalogs/products/{id}", "GET"), ("edit", $"v1/catalogs/products/{id}", "PATCH")),
        };
        _products[id] = product;
        return Json(201, product);
    }

    private Answer CreatePlan(JsonObject? body, bool minimal)
    {
        var productId = body?["product_id"]?.GetValue<string>();
        if (productId is null || !_products.ContainsKey(productId))
        {
            return Invalid("INVALID_PARAMETER_VALUE", "/product_id", "The value of a field is invalid.");
        }

        if (body!["billing_cycles"] is not JsonArray { Count: > 0 } cycles || body["payment_preferences"] is null || body["name"] is null)
        {
            return Invalid("MISSING_REQUIRED_PARAMETER", "/billing_cycles", "A required field / parameter is missing.");
        }

        var id = "P-" + NextId(24);
        var now = Now();
        var plan = new JsonObject
        {
            ["id"] = id,
            ["product_id"] = productId,
            ["name"] = body["name"]!.DeepClone(),
            ["status"] = body["status"]?.DeepClone() ?? "ACTIVE",
            ["description"] = body["description"]?.DeepClone(),
            ["usage_type"] = "LICENSED",
            ["billing_cycles"] = cycles.DeepClone(),
            ["payment_preferences"] = body["payment_preferences"]!.DeepClone(),
            ["quantity_supported"] = false,
            ["create_time"] = now,
            ["update_time"] = now,
            ["links"] = Links(("self", $"v1/billing/plans/{id}", "GET"), ("edit", $"v1/billing/plans/{id}", "PATCH"), ("self", $"v1/billing/plans/{id}/deactivate", "POST")),
        };
        foreach (var cycle in ((JsonArray)plan["billing_cycles"]!).OfType<JsonObject>())
        {
            if (cycle["pricing_scheme"] is JsonObject scheme)
            {
                scheme["version"] = 1;
                scheme["create_time"] = now;
                scheme["update_time"] = now;
            }
        }

        _plans[id] = plan;
        return Json(201, minimal ? Minimal(plan, "id", "product_id", "name", "status", "description", "usage_type", "create_time", "links") : plan);
    }

    private Answer ListPlans(IQueryCollection query, bool minimal)
    {
        var productId = query["product_id"].FirstOrDefault();
        var pageSize = int.TryParse(query["page_size"], out var size) ? Math.Clamp(size, 1, 20) : 10;
        var page = int.TryParse(query["page"], out var p) ? Math.Max(p, 1) : 1;
        var matching = _plans.Values.Where(plan => productId is null || plan["product_id"]!.GetValue<string>() == productId).ToList();
        var plans = new JsonArray([.. matching.Skip((page - 1) * pageSize).Take(pageSize)
            .Select(plan => (JsonNode)(minimal ? Minimal(plan, "id", "product_id", "name", "status", "description", "usage_type", "create_time", "links") : plan.DeepClone()))]);
        var collection = new JsonObject { ["plans"] = plans };
        if (query["total_required"] == "true")
        {
            collection["total_items"] = matching.Count;
            collection["total_pages"] = (matching.Count + pageSize - 1) / pageSize;
        }

        collection["links"] = Links(("self", "v1/billing/plans" + QueryString.Create(query.Select(q => KeyValuePair.Create(q.Key, q.Value.FirstOrDefault()))), "GET"));
        return Json(200, collection);
    }

    private Answer CreateSubscription(JsonObject? body, bool minimal)
    {
        var planId = body?["plan_id"]?.GetValue<string>();
        if (planId is null || !_plans.TryGetValue(planId, out var plan))
        {
            return Invalid("INVALID_PARAMETER_VALUE", "/plan_id", "The value of a field is invalid.");
        }

        if (plan["status"]!.GetValue<string>() != "ACTIVE")
        {
            return Unprocessable("PLAN_STATUS_INVALID", "Invalid plan status for create subscription action; plan status should be active.");
        }

        var context = body!["application_context"];
        var cycle = ((JsonArray)plan["billing_cycles"]!).OfType<JsonObject>().First(c => c["tenure_type"]!.GetValue<string>() == "REGULAR");
        var price = cycle["pricing_scheme"]!["fixed_price"]!;
        var subscription = new Subscription
        {
            Id = "I-" + NextId(12),
            PlanId = planId,
            CustomId = body["custom_id"]?.GetValue<string>(),
            Status = "APPROVAL_PENDING",
            StatusUpdateTime = _time.GetUtcNow(),
            CreateTime = _time.GetUtcNow(),
            StartTime = body["start_time"]?.GetValue<string>() is { } start ? DateTimeOffset.Parse(start, CultureInfo.InvariantCulture) : _time.GetUtcNow(),
            ApprovalToken = "BA-" + NextId(17),
            ReturnUrl = context?["return_url"]?.GetValue<string>(),
            CancelUrl = context?["cancel_url"]?.GetValue<string>(),
            CurrencyCode = price["currency_code"]!.GetValue<string>(),
            Fee = decimal.Parse(price["value"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            IntervalUnit = cycle["frequency"]!["interval_unit"]!.GetValue<string>(),
            IntervalCount = cycle["frequency"]!["interval_count"]?.GetValue<int>() ?? 1,
            FailureThreshold = plan["payment_preferences"]!["payment_failure_threshold"]?.GetValue<int>() ?? 0,
            AutoBillOutstanding = plan["payment_preferences"]!["auto_bill_outstanding"]?.GetValue<bool>() ?? true,
            Email = body["subscriber"]?["email_address"]?.GetValue<string>(),
        };
        _subscriptions[subscription.Id] = subscription;
        Raise("BILLING.SUBSCRIPTION.CREATED", "subscription", subscription.Id, SubscriptionJson(subscription));
        var json = SubscriptionJson(subscription);
        return Json(201, minimal ? Minimal(json, "id", "status", "status_update_time", "create_time", "links") : json);
    }

    private Answer WithSubscription(string id, Func<Subscription, Answer> action) =>
        _subscriptions.TryGetValue(id, out var subscription) ? action(subscription) : NotFound();

    private static Answer Patch(Subscription subscription, string body)
    {
        if (subscription.Status is not ("ACTIVE" or "SUSPENDED"))
        {
            return Unprocessable("SUBSCRIPTION_STATUS_INVALID", "Invalid subscription status for patch action; subscription status should be active or suspended.");
        }

        if (JsonNode.Parse(body) is not JsonArray operations)
        {
            return Invalid("MALFORMED_REQUEST_JSON", "", "The request JSON is not well formed.");
        }

        foreach (var operation in operations)
        {
            if (operation?["op"]?.GetValue<string>() != "replace" || operation["path"]?.GetValue<string>() != "/billing_info/outstanding_balance")
            {
                return Unprocessable("INVALID_PATCH_OPERATION", "The operation cannot be honored; only replace of /billing_info/outstanding_balance is modelled here.");
            }

            var money = operation["value"]!;
            if (money["currency_code"]?.GetValue<string>() != subscription.CurrencyCode)
            {
                return Unprocessable("CURRENCY_MISMATCH", "The currency code is different from the subscription's currency code.");
            }

            subscription.OutstandingBalance = decimal.Parse(money["value"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        }

        return new Answer(204, null, null);
    }

    private Answer ChangeStatus(Subscription subscription, string action, JsonObject? body)
    {
        var reason = body?["reason"]?.GetValue<string>();
        if (action != "activate" && string.IsNullOrWhiteSpace(reason))
        {
            return Invalid("MISSING_REQUIRED_PARAMETER", "/reason", "A required field / parameter is missing.");
        }

        var (allowed, target, eventType, description) = action switch
        {
            "suspend" => (subscription.Status == "ACTIVE", "SUSPENDED", "BILLING.SUBSCRIPTION.SUSPENDED", "Invalid subscription status for suspend action; subscription status should be active."),
            "activate" => (subscription.Status == "SUSPENDED", "ACTIVE", "BILLING.SUBSCRIPTION.ACTIVATED", "Invalid subscription status for activate action; subscription status should be suspended."),
            _ => (subscription.Status is "ACTIVE" or "SUSPENDED", "CANCELLED", "BILLING.SUBSCRIPTION.CANCELLED", "Invalid subscription status for cancel action; subscription status should be active or suspended."),
        };
        if (!allowed)
        {
            return Unprocessable("SUBSCRIPTION_STATUS_INVALID", description);
        }

        SetStatus(subscription, target, reason);
        Raise(eventType, "subscription", subscription.Id, SubscriptionJson(subscription));
        return new Answer(204, null, null);
    }

    private Answer CaptureBalance(Subscription subscription, JsonObject? body, string path, string? requestId)
    {
        if (body?["note"] is null || body["capture_type"]?.GetValue<string>() != "OUTSTANDING_BALANCE" || body["amount"] is not JsonObject amount)
        {
            return Invalid("MISSING_REQUIRED_PARAMETER", "/note, /capture_type or /amount", "A required field / parameter is missing.");
        }

        if (subscription.Status is not ("ACTIVE" or "SUSPENDED" or "EXPIRED"))
        {
            return Unprocessable("SUBSCRIPTION_STATUS_INVALID", "Invalid subscription status for capture action; subscription status should be active or suspended or expired.");
        }

        if (amount["currency_code"]?.GetValue<string>() != subscription.CurrencyCode)
        {
            return Unprocessable("CURRENCY_MISMATCH", "The currency code is different from the subscription's currency code.");
        }

        var value = decimal.Parse(amount["value"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        if (subscription.OutstandingBalance <= 0)
        {
            return Unprocessable("ZERO_OUTSTANDING_BALANCE", "Current outstanding balance should be greater than zero.");
        }

        if (value > subscription.OutstandingBalance)
        {
            return Unprocessable("AMOUNT_GREATER_THAN_OUTSTANDING_BALANCE", "The capture amount can not be greater than the current outstanding balance.");
        }

        if (Faults.Take(path, FakePayPalFaults.FaultKind.Decline) is { } decline)
        {
            return Unprocessable(decline.Issue!, "The instrument presented was either declined by the processor or bank, or it can't be used for this payment.");
        }

        subscription.OutstandingBalance -= value;
        var capture = Charge(subscription, value, "capture", requestId);
        return Json(200, TransactionJson(capture));
    }

    private Answer Refund(Capture capture, JsonObject? body, bool minimal, string? requestId)
    {
        var remaining = capture.Amount - capture.Refunded;
        decimal value;
        if (body?["amount"] is JsonObject amount)
        {
            if (amount["currency_code"]?.GetValue<string>() != capture.CurrencyCode)
            {
                return Unprocessable("REFUND_CAPTURE_CURRENCY_MISMATCH", "Refund must be in the same currency as the capture");
            }

            value = decimal.Parse(amount["value"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            if (value <= 0)
            {
                return Unprocessable("CANNOT_BE_ZERO_OR_NEGATIVE", "Must be greater than zero.");
            }
        }
        else
        {
            value = remaining;
        }

        if (remaining <= 0)
        {
            return Unprocessable("CAPTURE_FULLY_REFUNDED", "The capture has already been fully refunded");
        }

        if (value > remaining)
        {
            return Unprocessable("REFUND_AMOUNT_EXCEEDED", "The refund amount must be less than or equal to the capture amount that has not yet been refunded.");
        }

        capture.Refunded += value;
        var id = NextId(17);
        var now = Now();
        var refund = new JsonObject
        {
            ["id"] = id,
            ["amount"] = Money(capture.CurrencyCode, value),
            ["status"] = "COMPLETED",
            ["invoice_id"] = body?["invoice_id"]?.DeepClone(),
            ["note_to_payer"] = body?["note_to_payer"]?.DeepClone(),
            ["seller_payable_breakdown"] = new JsonObject
            {
                ["gross_amount"] = Money(capture.CurrencyCode, value),
                ["net_amount"] = Money(capture.CurrencyCode, value),
                ["total_refunded_amount"] = Money(capture.CurrencyCode, capture.Refunded),
            },
            ["create_time"] = now,
            ["update_time"] = now,
            ["links"] = Links(("self", $"v2/payments/refunds/{id}", "GET"), ("up", $"v2/payments/captures/{capture.Id}", "GET")),
        };
        _refunds[id] = refund;
        _refundLedger.Add(new FakePayPalRefund(id, capture.Id, value, capture.CurrencyCode, requestId, _time.GetUtcNow()));
        Raise("PAYMENT.SALE.REFUNDED", "refund", id, new JsonObject
        {
            ["id"] = id,
            ["state"] = "completed",
            ["amount"] = new JsonObject { ["total"] = Format(capture.CurrencyCode, value), ["currency"] = capture.CurrencyCode },
            ["sale_id"] = capture.Id,
            ["billing_agreement_id"] = capture.SubscriptionId,
            ["create_time"] = now,
            ["update_time"] = now,
        });
        return Json(201, minimal ? Minimal(refund, "id", "status", "links") : refund);
    }

    private void Renew(Subscription subscription)
    {
        if (Faults.Take("renewal", FakePayPalFaults.FaultKind.RenewalFailure) is { } failure)
        {
            subscription.FailedPaymentsCount++;
            subscription.OutstandingBalance += subscription.Fee;
            subscription.LastFailedPayment = (subscription.Fee, _time.GetUtcNow(), failure.Issue!);
            Raise("BILLING.SUBSCRIPTION.PAYMENT.FAILED", "subscription", subscription.Id, SubscriptionJson(subscription));
            if (subscription.FailureThreshold > 0 && subscription.FailedPaymentsCount >= subscription.FailureThreshold && subscription.Status == "ACTIVE")
            {
                SetStatus(subscription, "SUSPENDED", "Payment failure threshold reached");
                Raise("BILLING.SUBSCRIPTION.SUSPENDED", "subscription", subscription.Id, SubscriptionJson(subscription));
            }

            return;
        }

        // auto_bill_outstanding: an outstanding balance is billed with the next cycle.
        var amount = subscription.Fee + (subscription.AutoBillOutstanding ? subscription.OutstandingBalance : 0);
        if (subscription.AutoBillOutstanding)
        {
            subscription.OutstandingBalance = 0;
        }

        Charge(subscription, amount, "renewal", requestId: null);
        subscription.CyclesCompleted++;
        subscription.NextBillingTime = subscription.IntervalUnit switch
        {
            "DAY" => _time.GetUtcNow().AddDays(subscription.IntervalCount),
            "WEEK" => _time.GetUtcNow().AddDays(7 * subscription.IntervalCount),
            "YEAR" => _time.GetUtcNow().AddYears(subscription.IntervalCount),
            _ => _time.GetUtcNow().AddMonths(subscription.IntervalCount),
        };
    }

    private Capture Charge(Subscription subscription, decimal amount, string kind, string? requestId)
    {
        var capture = new Capture(NextId(17), subscription.Id, amount, subscription.CurrencyCode, _time.GetUtcNow());
        _captures[capture.Id] = capture;
        _charges.Add(new FakePayPalCharge(capture.Id, subscription.Id, amount, subscription.CurrencyCode, kind, requestId, capture.Time));
        subscription.LastPayment = (amount, capture.Time);
        Raise("PAYMENT.SALE.COMPLETED", "sale", capture.Id, new JsonObject
        {
            ["id"] = capture.Id,
            ["state"] = "completed",
            ["amount"] = new JsonObject
            {
                ["total"] = Format(capture.CurrencyCode, amount),
                ["currency"] = capture.CurrencyCode,
                ["details"] = new JsonObject { ["subtotal"] = Format(capture.CurrencyCode, amount) },
            },
            ["payment_mode"] = "INSTANT_TRANSFER",
            ["protection_eligibility"] = "ELIGIBLE",
            ["billing_agreement_id"] = subscription.Id,
            ["custom"] = subscription.CustomId,
            ["create_time"] = Stamp(capture.Time),
            ["update_time"] = Stamp(capture.Time),
            ["links"] = Links(("self", $"v2/payments/captures/{capture.Id}", "GET"), ("refund", $"v2/payments/captures/{capture.Id}/refund", "POST")),
        });
        return capture;
    }

    private Answer ApproveByLink(string approvalToken)
    {
        string? target;
        lock (_gate)
        {
            var subscription = _subscriptions.Values.FirstOrDefault(s => s.ApprovalToken == approvalToken);
            if (subscription is null)
            {
                return NotFound();
            }

            Approve(subscription.Id);
            target = subscription.ReturnUrl is null ? null : $"{subscription.ReturnUrl}{(subscription.ReturnUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?')}subscription_id={subscription.Id}&ba_token={approvalToken}";
        }

        return target is null ? new Answer(200, "Approved", "text/plain") : new Answer(302, null, null, [("Location", target)]);
    }

    private void SetStatus(Subscription subscription, string status, string? note)
    {
        subscription.Status = status;
        subscription.StatusChangeNote = note;
        subscription.StatusUpdateTime = _time.GetUtcNow();
    }

    private JsonObject SubscriptionJson(Subscription s)
    {
        var billing = new JsonObject
        {
            ["outstanding_balance"] = Money(s.CurrencyCode, s.OutstandingBalance),
            ["cycle_executions"] = new JsonArray(new JsonObject
            {
                ["tenure_type"] = "REGULAR",
                ["sequence"] = 1,
                ["cycles_completed"] = s.CyclesCompleted,
                ["cycles_remaining"] = 0,
                ["current_pricing_scheme_version"] = 1,
                ["total_cycles"] = 0,
            }),
            ["failed_payments_count"] = s.FailedPaymentsCount,
        };
        if (s.LastPayment is { } last)
        {
            billing["last_payment"] = new JsonObject { ["amount"] = Money(s.CurrencyCode, last.Amount), ["time"] = Stamp(last.Time) };
        }

        if (s.LastFailedPayment is { } failed)
        {
            billing["last_failed_payment"] = new JsonObject { ["amount"] = Money(s.CurrencyCode, failed.Amount), ["time"] = Stamp(failed.Time), ["reason_code"] = failed.Reason };
        }

        if (s.NextBillingTime is { } next && s.Status == "ACTIVE")
        {
            billing["next_billing_time"] = Stamp(next);
        }

        var json = new JsonObject
        {
            ["id"] = s.Id,
            ["plan_id"] = s.PlanId,
            ["status"] = s.Status,
            ["status_change_note"] = s.StatusChangeNote,
            ["status_update_time"] = Stamp(s.StatusUpdateTime),
            ["custom_id"] = s.CustomId,
            ["start_time"] = Stamp(s.StartTime),
            ["quantity"] = "1",
            ["plan_overridden"] = false,
            ["subscriber"] = s.Email is null ? null : new JsonObject { ["email_address"] = s.Email },
            ["billing_info"] = s.Status == "APPROVAL_PENDING" ? null : billing,
            ["create_time"] = Stamp(s.CreateTime),
            ["update_time"] = Stamp(s.StatusUpdateTime),
        };
        var links = new List<(string, string, string)>();
        if (s.Status == "APPROVAL_PENDING")
        {
            links.Add(("approve", $"webapps/billing/subscriptions?ba_token={s.ApprovalToken}", "GET"));
        }

        links.Add(("edit", $"v1/billing/subscriptions/{s.Id}", "PATCH"));
        links.Add(("self", $"v1/billing/subscriptions/{s.Id}", "GET"));
        if (s.Status == "ACTIVE")
        {
            links.Add(("suspend", $"v1/billing/subscriptions/{s.Id}/suspend", "POST"));
            links.Add(("capture", $"v1/billing/subscriptions/{s.Id}/capture", "POST"));
        }

        json["links"] = Links([.. links]);
        return json;
    }

    private static JsonObject TransactionJson(Capture capture) => new()
    {
        ["status"] = capture.Refunded == 0 ? "COMPLETED" : capture.Refunded < capture.Amount ? "PARTIALLY_REFUNDED" : "REFUNDED",
        ["id"] = capture.Id,
        ["amount_with_breakdown"] = new JsonObject
        {
            ["gross_amount"] = Money(capture.CurrencyCode, capture.Amount),
            ["fee_amount"] = Money(capture.CurrencyCode, 0),
            ["net_amount"] = Money(capture.CurrencyCode, capture.Amount),
        },
        ["time"] = Stamp(capture.Time),
    };

    private JsonObject CaptureJson(Capture capture) => new()
    {
        ["id"] = capture.Id,
        ["status"] = capture.Refunded == 0 ? "COMPLETED" : capture.Refunded < capture.Amount ? "PARTIALLY_REFUNDED" : "REFUNDED",
        ["amount"] = Money(capture.CurrencyCode, capture.Amount),
        ["final_capture"] = true,
        ["create_time"] = Stamp(capture.Time),
        ["update_time"] = Stamp(capture.Time),
        ["links"] = Links(("self", $"v2/payments/captures/{capture.Id}", "GET"), ("refund", $"v2/payments/captures/{capture.Id}/refund", "POST")),
    };

    private void Raise(string eventType, string resourceType, string resourceId, JsonObject resource)
    {
        var id = "WH-" + NextId(17);
        var summary = eventType.ToLowerInvariant().Replace('.', ' ');
        var json = new JsonObject
        {
            ["id"] = id,
            ["event_version"] = "1.0",
            ["create_time"] = Now(),
            ["resource_type"] = resourceType,
            ["resource_version"] = resourceType == "subscription" ? "2.0" : "1.0",
            ["event_type"] = eventType,
            ["summary"] = summary,
            ["resource"] = resource,
            ["links"] = Links(("self", $"v1/notifications/webhooks-events/{id}", "GET"), ("resend", $"v1/notifications/webhooks-events/{id}/resend", "POST")),
        };
        _events.Add(new FakePayPalEvent(id, eventType, resourceId, json.ToJsonString()));
    }

    private JsonArray Links(params (string Rel, string Path, string Method)[] links) =>
        new([.. links.Select(l => (JsonNode)new JsonObject { ["href"] = new Uri(BaseAddress, l.Path).AbsoluteUri, ["rel"] = l.Rel, ["method"] = l.Method })]);

    private static JsonObject Minimal(JsonObject full, params string[] fields)
    {
        var minimal = new JsonObject();
        foreach (var field in fields)
        {
            if (full[field] is { } value)
            {
                minimal[field] = value.DeepClone();
            }
        }

        return minimal;
    }

    private static JsonObject? Parse(string body) => string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body) as JsonObject;

    private static JsonObject Money(string currency, decimal value) => new() { ["currency_code"] = currency, ["value"] = Format(currency, value) };

    private static string Format(string currency, decimal value) =>
        value.ToString(currency is "JPY" or "HUF" or "TWD" ? "F0" : "F2", CultureInfo.InvariantCulture);

    private string Now() => Stamp(_time.GetUtcNow());

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private string NextId(int length)
    {
        var sequence = Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
        var random = Convert.ToHexString(RandomNumberGenerator.GetBytes(length));
        return (random[..(length - sequence.Length)] + sequence).ToUpperInvariant();
    }

    private static Answer Json(int status, JsonNode body) => new(status, body.ToJsonString(), "application/json");

    private static Answer NotFound() => Error(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist.",
        details: [("INVALID_RESOURCE_ID", "Requested resource ID was not found.")]);

    private static Answer Invalid(string issue, string field, string description) =>
        Error(400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema.", details: [(issue, description)], field: field);

    private static Answer Unprocessable(string issue, string description) =>
        Error(422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed, semantically incorrect, or failed business validation.", details: [(issue, description)]);

    private static Answer Error(int status, string name, string message, (string Issue, string Description)[]? details = null, string? field = null, (string, string)[]? headers = null)
    {
        var debugId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(7));
        var body = new JsonObject { ["name"] = name, ["message"] = message, ["debug_id"] = debugId };
        if (details is not null)
        {
            body["details"] = new JsonArray([.. details.Select(d => (JsonNode)new JsonObject
            {
                ["field"] = field,
                ["location"] = field is null ? null : "body",
                ["issue"] = d.Issue,
                ["description"] = d.Description,
            })]);
        }

        body["links"] = new JsonArray(new JsonObject
        {
            ["href"] = $"https://developer.paypal.com/api/rest/reference/orders/v2/errors/#{name.ToLowerInvariant()}",
            ["rel"] = "information_link",
            ["method"] = "GET",
        });
        return new Answer(status, body.ToJsonString(), "application/json", headers, debugId);
    }

    private sealed record Answer(int Status, string? Body, string? ContentType, (string Name, string Value)[]? Headers = null, string DebugId = "f00dfeed0001");

    private sealed record Capture(string Id, string SubscriptionId, decimal Amount, string CurrencyCode, DateTimeOffset Time)
    {
        public decimal Refunded { get; set; }
    }

    private sealed class Subscription
    {
        public required string Id { get; init; }
        public required string PlanId { get; init; }
        public string? CustomId { get; init; }
        public required string Status { get; set; }
        public string? StatusChangeNote { get; set; }
        public DateTimeOffset StatusUpdateTime { get; set; }
        public DateTimeOffset CreateTime { get; init; }
        public DateTimeOffset StartTime { get; init; }
        public required string ApprovalToken { get; init; }
        public string? ReturnUrl { get; init; }
        public string? CancelUrl { get; init; }
        public string? Email { get; init; }
        public required string CurrencyCode { get; init; }
        public decimal Fee { get; init; }
        public required string IntervalUnit { get; init; }
        public int IntervalCount { get; init; }
        public int FailureThreshold { get; init; }
        public bool AutoBillOutstanding { get; init; }
        public decimal OutstandingBalance { get; set; }
        public int FailedPaymentsCount { get; set; }
        public int CyclesCompleted { get; set; }
        public (decimal Amount, DateTimeOffset Time)? LastPayment { get; set; }
        public (decimal Amount, DateTimeOffset Time, string Reason)? LastFailedPayment { get; set; }
        public DateTimeOffset? NextBillingTime { get; set; }
    }
}
