using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Core.Billing;
using Workforce.Core.Plans;
using Workforce.Core.Subscriptions;
using Workforce.Payments.PayPal;
using Workforce.Payments.PayPal.Billing;
using Workforce.Testing.PayPal;

namespace Workforce.Payments.Tests;

/// <summary>Billing's payment port on PayPal (<see cref="PayPalPaymentGateway"/>), built with AddPayPalPayments, against the fake.</summary>
public sealed class GatewayTests
{
    [Fact]
    public async Task Without_credentials_the_gateway_is_the_offline_one()
    {
        await using var paypal = await FakePayPal.StartAsync();
        await using var services = Build(paypal, credentials: false);

        Assert.IsType<OfflinePaymentGateway>(services.GetRequiredService<IPaymentGateway>());
        Assert.IsType<OfflinePaymentEvents>(services.GetRequiredService<IPaymentEvents>());
    }

    [Fact]
    public async Task Checkout_opens_a_subscription_for_the_tenant_on_the_plan_without_auto_billing_the_balance()
    {
        await using var paypal = await FakePayPal.StartAsync();
        await using var services = Build(paypal);
        var gateway = services.GetRequiredService<IPaymentGateway>();

        var started = await gateway.StartCheckoutAsync("tenant-1", Professional(services), Return, Cancel, "checkout-tenant-1-1");
        paypal.Approve(started.Account.Reference);
        var standing = await services.GetRequiredService<IPaymentEvents>().ReadAccountAsync(started.Account.Reference);

        Assert.Equal(new PaymentAccount("paypal", started.Account.Reference), started.Account);
        Assert.Contains("ba_token=", started.ApprovalUrl.Query, StringComparison.Ordinal);
        Assert.Equal((PaymentAccountState.Active, "tenant-1", "professional"), (standing!.State, standing.TenantId, standing.PlanId));
        var renewal = Assert.Single(paypal.Charges);
        Assert.Equal(49.00m, renewal.Amount);
        var plan = Assert.Single(await services.GetRequiredService<IPayPalClient>().ListPlansAsync(PayPalCatalog.ProductId));
        Assert.Equal(PayPalBillingInterval.Days(30), plan.Interval);
    }

    [Fact]
    public async Task A_charge_captures_the_invoice_total_once_however_often_the_attempt_is_repeated()
    {
        await using var paypal = await FakePayPal.StartAsync();
        await using var services = Build(paypal);
        var gateway = services.GetRequiredService<IPaymentGateway>();
        var account = await ActiveAccountAsync(paypal, services);
        var invoice = Invoice(6134);

        var first = await gateway.ChargeAsync(account, invoice, 1);
        var replay = await gateway.ChargeAsync(account, invoice, 1);

        Assert.Equal(ChargeOutcome.Paid, first.Outcome);
        Assert.Equal(first.PaymentId, replay.PaymentId);
        var capture = Assert.Single(paypal.Charges, c => c.Kind == "capture");
        Assert.Equal((61.34m, $"{invoice.Id}-attempt-1", first.PaymentId), (capture.Amount, capture.RequestId, capture.CaptureId));
    }

    [Fact]
    public async Task A_charge_whose_answer_times_out_is_retried_and_charged_once()
    {
        await using var paypal = await FakePayPal.StartAsync();
        await using var services = Build(paypal, requestTimeout: "00:00:01");
        var gateway = services.GetRequiredService<IPaymentGateway>();
        var account = await ActiveAccountAsync(paypal, services);
        paypal.Faults.DelayAnswerAfterProcessing(TimeSpan.FromSeconds(5), "/capture");

        var result = await gateway.ChargeAsync(account, Invoice(2500), 1);

        Assert.Equal(ChargeOutcome.Paid, result.Outcome);
        var capture = Assert.Single(paypal.Charges, c => c.Kind == "capture");
        Assert.Equal(result.PaymentId, capture.CaptureId);
        Assert.True(paypal.Requests.Count(r => r.PathAndQuery.EndsWith("/capture", StringComparison.Ordinal)) >= 2);
    }

    [Fact]
    public async Task A_declined_charge_is_declined_with_PayPal_s_reason_and_charges_nothing()
    {
        await using var paypal = await FakePayPal.StartAsync();
        await using var services = Build(paypal);
        var gateway = services.GetRequiredService<IPaymentGateway>();
        var account = await ActiveAccountAsync(paypal, services);
        paypal.Faults.DeclineNextCapture("INSTRUMENT_DECLINED");

        var declined = await gateway.ChargeAsync(account, Invoice(2500), 1);
        var retried = await gateway.ChargeAsync(account, Invoice(2500), 2);

        Assert.Equal(ChargeOutcome.Declined, declined.Outcome);
        Assert.Contains("INSTRUMENT_DECLINED", declined.Detail, StringComparison.Ordinal);
        Assert.Equal(ChargeOutcome.Paid, retried.Outcome);
        Assert.Single(paypal.Charges, c => c.Kind == "capture");
    }

    [Fact]
    public async Task Charging_a_cancelled_subscription_is_declined_rather_than_thrown()
    {
        await using var paypal = await FakePayPal.StartAsync();
        await using var services = Build(paypal);
        var gateway = services.GetRequiredService<IPaymentGateway>();
        var account = await ActiveAccountAsync(paypal, services);
        await gateway.CancelAsync(account, "test", "cancel-1");
        await gateway.CancelAsync(account, "test", "cancel-1");

        var result = await gateway.ChargeAsync(account, Invoice(2500), 1);

        Assert.Equal("CANCELLED", paypal.StatusOf(account.Reference));
        Assert.Equal(ChargeOutcome.Declined, result.Outcome);
    }

    [Fact]
    public async Task With_renewals_stopped_the_final_invoice_is_still_captured_and_then_the_account_is_cancelled()
    {
        await using var paypal = await FakePayPal.StartAsync();
        await using var services = Build(paypal);
        var gateway = services.GetRequiredService<IPaymentGateway>();
        var account = await ActiveAccountAsync(paypal, services);

        await gateway.StopRenewalsAsync(account, "Cancelled by the tenant", "cancel-1");
        await gateway.StopRenewalsAsync(account, "Cancelled by the tenant", "cancel-1");
        var renewalsBefore = paypal.Charges.Count(c => c.Kind == "renewal");
        paypal.RenewCycle(account.Reference);
        var final = await gateway.ChargeAsync(account, Invoice(1234), 1);
        await gateway.CancelAsync(account, "The plan ended", "end-1");

        Assert.Equal(renewalsBefore, paypal.Charges.Count(c => c.Kind == "renewal"));
        Assert.Equal(ChargeOutcome.Paid, final.Outcome);
        Assert.Equal(12.34m, Assert.Single(paypal.Charges, c => c.Kind == "capture").Amount);
        Assert.Equal("CANCELLED", paypal.StatusOf(account.Reference));
    }

    [Fact]
    public async Task Refunds_of_part_then_the_rest_return_the_whole_charge_and_no_more()
    {
        await using var paypal = await FakePayPal.StartAsync();
        await using var services = Build(paypal);
        var gateway = services.GetRequiredService<IPaymentGateway>();
        var account = await ActiveAccountAsync(paypal, services);
        var invoice = Invoice(6134);
        var paid = await gateway.ChargeAsync(account, invoice, 1);
        invoice = invoice.RecordCharge(new ChargeAttempt(1, DateTimeOffset.UtcNow, true, paid.PaymentId, null));

        var part = await gateway.RefundAsync(invoice, new InvoiceRefund($"{invoice.Id}-refund-1", 1000, "goodwill", DateTimeOffset.UtcNow, null));
        var partAgain = await gateway.RefundAsync(invoice, new InvoiceRefund($"{invoice.Id}-refund-1", 1000, "goodwill", DateTimeOffset.UtcNow, null));
        invoice = invoice.RecordRefund(new InvoiceRefund($"{invoice.Id}-refund-1", 1000, "goodwill", DateTimeOffset.UtcNow, part.PaymentId));
        var rest = await gateway.RefundAsync(invoice, new InvoiceRefund($"{invoice.Id}-refund-2", 5134, "cancelled", DateTimeOffset.UtcNow, null));
        var beyond = await gateway.RefundAsync(invoice, new InvoiceRefund($"{invoice.Id}-refund-3", 1, "too much", DateTimeOffset.UtcNow, null));

        Assert.Equal((RefundOutcome.Refunded, RefundOutcome.Refunded, RefundOutcome.Refused), (part.Outcome, rest.Outcome, beyond.Outcome));
        Assert.Equal(part.PaymentId, partAgain.PaymentId);
        Assert.Equal([10.00m, 51.34m], paypal.Refunds.Select(r => r.Amount));
        Assert.All(paypal.Refunds, r => Assert.Equal(paid.PaymentId, r.CaptureId));
    }

    private static readonly Uri Return = new("https://workforce.example/?checkout=approved");
    private static readonly Uri Cancel = new("https://workforce.example/?checkout=cancelled");

    private static ServiceProvider Build(FakePayPal paypal, bool credentials = true, string requestTimeout = "00:00:05")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{PayPalOptions.Section}:BaseUrl"] = paypal.BaseAddress.AbsoluteUri,
            [$"{PayPalOptions.Section}:ClientId"] = credentials ? FakePayPal.ClientId : null,
            [$"{PayPalOptions.Section}:ClientSecret"] = credentials ? FakePayPal.ClientSecret : null,
            [$"{PayPalOptions.Section}:WebhookId"] = FakePayPal.WebhookId,
            [$"{PayPalOptions.Section}:RetryDelay"] = "00:00:00.010",
            [$"{PayPalOptions.Section}:RequestTimeout"] = requestTimeout,
            [$"{PayPalOptions.Section}:TotalTimeout"] = "00:00:30",
        }).Build();
        var billing = new BillingOptions();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton(billing)
            .AddSingleton<PlanCatalogue>()
            .AddPayPalPayments(configuration)
            .BuildServiceProvider();
    }

    private static Plan Professional(IServiceProvider services) => services.GetRequiredService<PlanCatalogue>().Get(Plan.Professional);

    private static async Task<PaymentAccount> ActiveAccountAsync(FakePayPal paypal, IServiceProvider services)
    {
        var started = await services.GetRequiredService<IPaymentGateway>().StartCheckoutAsync("tenant-1", Professional(services), Return, Cancel, "checkout-tenant-1-1");
        paypal.Approve(started.Account.Reference);
        return started.Account;
    }

    [Fact]
    public async Task The_plan_fee_is_left_to_the_paypal_renewal_and_only_the_rest_is_captured()
    {
        await using var paypal = await FakePayPal.StartAsync();
        await using var services = Build(paypal);
        var gateway = services.GetRequiredService<IPaymentGateway>();
        var account = await ActiveAccountAsync(paypal, services);
        var captured = paypal.Charges.Count(c => c.Kind == "capture");
        InvoiceLine fee = new(InvoiceLineKind.PlanFee, "professional plan", 1, "period", 49m, 4_900);
        var feeOnly = Invoice(0) with { Lines = [fee] };
        var feeAndOverage = Invoice(250) with { Lines = [fee, .. Invoice(250).Lines] };

        var renewed = await gateway.ChargeAsync(account, feeOnly, 1);
        var charged = await gateway.ChargeAsync(account, feeAndOverage, 1);

        Assert.Equal(ChargeOutcome.Paid, renewed.Outcome);
        Assert.Equal(ChargeOutcome.Paid, charged.Outcome);
        var capture = Assert.Single(paypal.Charges.Where(c => c.Kind == "capture").Skip(captured));
        Assert.Equal(2.50m, capture.Amount);
    }

    private static Invoice Invoice(long totalMinor)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var period = new BillingPeriod(start, start.AddDays(30));
        return new Invoice
        {
            Id = Core.Billing.Invoice.IdFor("tenant-1", period) + $"-{totalMinor}",
            TenantId = "tenant-1",
            Period = period,
            PlanId = Plan.Professional,
            Currency = "USD",
            Lines = [new InvoiceLine(InvoiceLineKind.Overage, "Tasks beyond 10,000", 1, "period", totalMinor / 100m, totalMinor)],
            IssuedAt = period.End,
        };
    }
}
