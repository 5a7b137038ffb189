using System.Net;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Testing.PayPal;

namespace Workforce.Server.Tests.Billing;

/// <summary>Checkout, cancellation and PayPal's webhooks through the server, against the fake PayPal and the real client.</summary>
public sealed class PaymentsApiTests
{
    [Fact]
    public async Task A_checkout_approved_at_PayPal_gives_the_subscription_its_payment_account_once_the_webhook_arrives()
    {
        await using var server = await PayPalApiFactory.StartAsync();
        using var tenant = server.Tenant();

        var checkout = await WorkforceClient.ReadAsync(await tenant.PostAsync("/api/v1/subscription/checkout", new { plan = "professional" }));
        var subscriptionId = checkout["subscriptionId"]!.GetValue<string>();
        Assert.Contains("ba_token=", checkout["approvalUrl"]!.GetValue<string>(), StringComparison.Ordinal);
        // Nothing is taken on before PayPal confirms.
        var before = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/subscription"));
        Assert.Null(before["payment"]);
        Assert.Equal("free", before["plan"]!.GetValue<string>());

        server.PayPal.Approve(subscriptionId);
        var delivery = await server.DeliverAndProcessAsync(server.Event("BILLING.SUBSCRIPTION.ACTIVATED", subscriptionId));

        Assert.Equal(200, delivery.ListenerStatus);
        var after = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/subscription"));
        Assert.Equal("paypal", after["payment"]!["provider"]!.GetValue<string>());
        Assert.Equal(subscriptionId, after["payment"]!["reference"]!.GetValue<string>());
        Assert.Equal("professional", after["plan"]!.GetValue<string>());
        Assert.Equal("active", after["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_repeated_checkout_returns_the_same_PayPal_subscription()
    {
        await using var server = await PayPalApiFactory.StartAsync();
        using var tenant = server.Tenant();

        var first = await WorkforceClient.ReadAsync(await tenant.PostAsync("/api/v1/subscription/checkout", new { plan = "professional" }));
        var second = await WorkforceClient.ReadAsync(await tenant.PostAsync("/api/v1/subscription/checkout", new { plan = "professional" }));

        Assert.Equal(first["subscriptionId"]!.GetValue<string>(), second["subscriptionId"]!.GetValue<string>());
        // Both went out with one PayPal-Request-Id, so PayPal created one subscription and answered the second from it.
        var creates = server.PayPal.Requests.Where(r => r.Method == "POST" && r.PathAndQuery == "v1/billing/subscriptions").ToList();
        Assert.Equal(2, creates.Count);
        Assert.Single(creates.Select(r => r.RequestId).Distinct());
    }

    [Fact]
    public async Task Events_out_of_order_and_twice_are_reconciled_with_PayPal_and_processed_once()
    {
        await using var server = await PayPalApiFactory.StartAsync();
        using var tenant = server.Tenant();
        var subscriptionId = await CheckOutAsync(tenant);
        server.PayPal.Approve(subscriptionId);
        var activated = server.Event("BILLING.SUBSCRIPTION.ACTIVATED", subscriptionId);
        var firstSale = server.PayPal.Events.Last(e => e.EventType == "PAYMENT.SALE.COMPLETED");

        // The sale comes first: reading the subscription back shows it active, so it is taken on already.
        await server.DeliverAndProcessAsync(firstSale);
        var afterSale = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/subscription"));
        Assert.Equal(subscriptionId, afterSale["payment"]!["reference"]!.GetValue<string>());

        // The tenant cancels (PayPal stops renewing, and the final invoice can still be captured); then the old
        // activation arrives, and again: PayPal says suspended, so it stays cancelled.
        var cancelled = await WorkforceClient.ReadAsync(await tenant.PostAsync("/api/v1/subscription/cancel"));
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.Equal("SUSPENDED", server.PayPal.StatusOf(subscriptionId));
        await server.DeliverAndProcessAsync(activated);
        var again = await server.PayPal.DeliverAsync(server.Webhook, activated);

        Assert.Equal(200, again.ListenerStatus);
        var receipt = await ReceiptOfAsync(server, activated);
        Assert.True(receipt["duplicate"]!.GetValue<bool>());
        var final = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/subscription"));
        Assert.Equal("cancelled", final["status"]!.GetValue<string>());
        Assert.Equal("free", final["scheduled"]!["plan"]!.GetValue<string>());
        Assert.Equal("professional", final["plan"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_plan_paid_through_PayPal_is_ended_by_cancelling_not_changed_in_place()
    {
        await using var server = await PayPalApiFactory.StartAsync();
        using var tenant = server.Tenant();
        var subscriptionId = await CheckOutAsync(tenant);
        server.PayPal.Approve(subscriptionId);
        await server.DeliverAndProcessAsync(server.Event("BILLING.SUBSCRIPTION.ACTIVATED", subscriptionId));

        var refused = await WorkforceClient.ProblemAsync(await tenant.PutAsync("/api/v1/subscription", new { plan = "free" }), HttpStatusCode.Conflict);
        var overage = await WorkforceClient.ReadAsync(await tenant.PutAsync("/api/v1/subscription", new { overage = "allow" }));

        Assert.Contains("/api/v1/subscription/cancel", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("professional", "allow"), (overage["plan"]!.GetValue<string>(), overage["overage"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_admin_refund_and_a_chargeback_at_PayPal_are_each_recorded_once_on_the_invoice()
    {
        // Three-second periods, one task included and a dollar for each one more: the tasks submitted after the
        // checkout are overage, captured through PayPal when their period closes. (A proration alone would not do: an
        // activation landing after a period ended but before it was closed takes effect with the next period.)
        await using var server = await PayPalApiFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Workforce:Billing:PeriodLength"] = "00:00:03",
            ["Workforce:Billing:GracePeriod"] = "00:00:00",
            ["Workforce:Billing:Plans:professional:Tasks"] = "1",
            ["Workforce:Billing:Plans:professional:PerThousandTasks"] = "1000",
        });
        using var tenant = server.Tenant();
        using var admin = server.Client(WorkforceApiFactory.AdminKey);
        var subscriptionId = await CheckOutAsync(tenant);
        server.PayPal.Approve(subscriptionId);
        await server.DeliverAndProcessAsync(server.Event("BILLING.SUBSCRIPTION.ACTIVATED", subscriptionId));
        await WorkforceClient.ReadAsync(await tenant.PutAsync("/api/v1/subscription", new { overage = "allow", overageCapPercent = 1_000 }));
        for (var i = 0; i < 3; i++)
        {
            await WorkforceClient.ReadAsync(await tenant.PostAsync("/api/v1/tasks", new { type = "billed" }), HttpStatusCode.Accepted);
        }

        var paid = await PaidInvoiceWithCaptureAsync(tenant);
        var id = paid["id"]!.GetValue<string>();
        var total = paid["total"]!.GetValue<decimal>();
        var captureId = paid["attempts"]!.AsArray().Single(a => a!["succeeded"]!.GetValue<bool>())!["paymentId"]!.GetValue<string>();

        var tooMuch = await WorkforceClient.ProblemAsync(await admin.PostAsync($"/api/v1/invoices/{id}/refund", new { amount = total + 1, reason = "test" }), HttpStatusCode.Conflict);
        var byTenant = await tenant.PostAsync($"/api/v1/invoices/{id}/refund", new { amount = 0.01m, reason = "self-service" });
        var refunded = await WorkforceClient.ReadAsync(await admin.PostAsync($"/api/v1/invoices/{id}/refund", new { amount = 0.01m, reason = "Goodwill" }));
        // PayPal reports the admin's refund back; it is on the invoice already.
        var refundEvent = server.PayPal.Events.Last(e => e.EventType == "PAYMENT.SALE.REFUNDED");
        await server.DeliverAndProcessAsync(refundEvent);
        var afterEcho = await WorkforceClient.ReadAsync(await tenant.GetAsync($"/api/v1/invoices/{id}"));

        Assert.Contains("left to refund", tooMuch["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byTenant.StatusCode);
        Assert.Equal(0.01m, refunded["refunded"]!.GetValue<decimal>());
        Assert.Equal(0.01m, Assert.Single(server.PayPal.Refunds).Amount);
        Assert.Single(afterEcho["refunds"]!.AsArray());

        // The payer's bank takes back the rest; the reversal arrives twice.
        server.PayPal.Reverse(captureId);
        var reversal = server.PayPal.Events.Last(e => e.EventType == "PAYMENT.SALE.REVERSED");
        await server.DeliverAndProcessAsync(reversal);
        await server.PayPal.DeliverAsync(server.Webhook, reversal);
        var reversed = await WorkforceClient.ReadAsync(await tenant.GetAsync($"/api/v1/invoices/{id}"));

        // All that was captured is back; the invoice is refunded in full unless part of it, the plan fee of a period
        // after the activation, was collected by PayPal's renewal instead.
        var captured = server.PayPal.Charges.Single(c => c.CaptureId == captureId).Amount;
        Assert.Equal(captured, reversed["refunded"]!.GetValue<decimal>());
        Assert.Equal(captured == total ? "refunded" : "paid", reversed["status"]!.GetValue<string>());
        Assert.Equal(2, reversed["refunds"]!.AsArray().Count);
        Assert.Contains("chargeback", reversed["refunds"]![1]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_renewal_at_PayPal_puts_the_tenant_past_due()
    {
        await using var server = await PayPalApiFactory.StartAsync();
        using var tenant = server.Tenant();
        var subscriptionId = await CheckOutAsync(tenant);
        server.PayPal.Approve(subscriptionId);
        await server.DeliverAndProcessAsync(server.Event("BILLING.SUBSCRIPTION.ACTIVATED", subscriptionId));

        server.PayPal.Faults.FailNextRenewal();
        server.PayPal.RenewCycle(subscriptionId);
        await server.DeliverAndProcessAsync(server.Event("BILLING.SUBSCRIPTION.PAYMENT.FAILED", subscriptionId));
        var pastDue = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/subscription"));
        Assert.Equal("past_due", pastDue["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_delivery_whose_signature_does_not_verify_is_refused_and_changes_nothing()
    {
        await using var server = await PayPalApiFactory.StartAsync();
        using var tenant = server.Tenant();
        var subscriptionId = await CheckOutAsync(tenant);
        server.PayPal.Approve(subscriptionId);
        var activated = server.Event("BILLING.SUBSCRIPTION.ACTIVATED", subscriptionId);

        var forged = await server.PayPal.DeliverAsync(server.Webhook, activated, FakeWebhookTampering.Signature);
        var changed = await server.PayPal.DeliverAsync(server.Webhook, activated, FakeWebhookTampering.Body);
        using var anonymous = server.Client(null);
        var unsigned = await anonymous.PostRawAsync("/api/v1/billing/paypal/webhook", activated.Body);

        Assert.Equal((400, 400), (forged.ListenerStatus, changed.ListenerStatus));
        await WorkforceClient.ProblemAsync(unsigned, HttpStatusCode.BadRequest);
        Assert.Null(await server.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync($"payment-event-paypal-{activated.Id}"));
        var subscription = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/subscription"));
        Assert.Null(subscription["payment"]);
    }

    [Fact]
    public async Task Checkout_and_the_webhook_answer_409_while_billing_runs_offline()
    {
        await using var server = new WorkforceApiFactory();
        using var tenant = server.Tenant();

        var checkout = await WorkforceClient.ProblemAsync(await tenant.PostAsync("/api/v1/subscription/checkout", new { plan = "professional" }), HttpStatusCode.Conflict);
        using var anonymous = server.Client(null);
        var webhook = await WorkforceClient.ProblemAsync(await anonymous.PostRawAsync("/api/v1/billing/paypal/webhook", "{}"), HttpStatusCode.Conflict);

        Assert.Contains("offline", checkout["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("offline", webhook["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_offline_ends_a_paid_plan_at_the_period_end()
    {
        await using var server = new WorkforceApiFactory();
        using var tenant = server.Tenant();
        await WorkforceClient.ReadAsync(await tenant.PutAsync("/api/v1/subscription", new { plan = "professional" }));

        var cancelled = await WorkforceClient.ReadAsync(await tenant.PostAsync("/api/v1/subscription/cancel"));
        var repeated = await WorkforceClient.ReadAsync(await tenant.PostAsync("/api/v1/subscription/cancel"));

        Assert.Equal(("cancelled", "professional"), (cancelled["status"]!.GetValue<string>(), cancelled["plan"]!.GetValue<string>()));
        Assert.Equal(cancelled["periodEnd"]!.GetValue<DateTimeOffset>(), cancelled["scheduled"]!["effectiveAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(cancelled.ToJsonString(), repeated.ToJsonString());
    }

    private static async Task<JsonObject> PaidInvoiceWithCaptureAsync(WorkforceClient tenant)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var invoices = (await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/invoices")))["items"]!.AsArray();
            if (invoices.FirstOrDefault(i => i!["status"]!.GetValue<string>() == "paid"
                && i["attempts"]!.AsArray().Any(a => a!["paymentId"] is not null)) is JsonObject paid)
            {
                return paid;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Checks out the Professional plan and returns the PayPal subscription it began.</summary>
    private static async Task<string> CheckOutAsync(WorkforceClient tenant) =>
        (await WorkforceClient.ReadAsync(await tenant.PostAsync("/api/v1/subscription/checkout", new { plan = "professional" })))["subscriptionId"]!.GetValue<string>();

    private static async Task<JsonObject> ReceiptOfAsync(PayPalApiFactory server, FakePayPalEvent webhookEvent)
    {
        // The fake records the listener's status, not its body: post the same delivery once more to read the receipt.
        var delivery = server.PayPal.Deliveries.Last(d => d.Event.Id == webhookEvent.Id);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Webhook) { Content = new StringContent(delivery.Body, System.Text.Encoding.UTF8, "application/json") };
        foreach (var (name, value) in delivery.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await WorkforceClient.ReadAsync(await http.SendAsync(request));
    }
}
