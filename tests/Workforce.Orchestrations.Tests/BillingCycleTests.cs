using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workforce.Core;
using Workforce.Core.Billing;
using Workforce.Core.Plans;
using Workforce.Core.Storage;
using Workforce.Core.Subscriptions;
using Workforce.Orchestrations.BillingCycle;
using Workforce.Testing.Durable;

namespace Workforce.Orchestrations.Tests;

/// <summary>The billing cycle on the embedded engine with a fake clock: periods close, invoices are charged, failures dunned.</summary>
public sealed class BillingCycleTests : IAsyncLifetime
{
    private static readonly TimeSpan Step = TimeSpan.FromHours(2);

    private readonly RecordingGateway _gateway = new();
    private Platform _platform = null!;

    private IWorkforceStore Store => _platform.Get<IWorkforceStore>();

    public async ValueTask InitializeAsync() =>
        _platform = await Platform.StartAsync(EngineKind.Embedded, services => services.Replace(ServiceDescriptor.Singleton<IPaymentGateway>(_gateway)));

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task A_year_of_cycles_charges_each_period_once()
    {
        await SubscribeToProfessionalAsync();
        await _platform.Get<StartBillingCycle>().ExecuteAsync(Platform.TenantId);

        await PassUntilAsync(async () => (await Store.ListInvoicesAsync(Platform.TenantId, 100)).Count(i => i.Status == InvoiceStatus.Paid) >= 12, TimeSpan.FromDays(400));

        var invoices = await Store.ListInvoicesAsync(Platform.TenantId, 100);
        Assert.All(invoices, i => Assert.Equal(4_900, i.TotalMinor));
        Assert.Equal(invoices.Count, _gateway.Charges.Count);
        Assert.Equal(invoices.Count, _gateway.Charges.Select(c => c.InvoiceId).Distinct().Count());
        Assert.Equal(invoices.OrderBy(i => i.Period.Start).Select(i => i.Period.Start), invoices.Select(i => i.Period.Start).Order());
    }

    [Fact]
    public async Task A_charge_declined_every_time_is_retried_on_schedule_then_the_tenant_is_suspended_until_it_pays()
    {
        await SubscribeToProfessionalAsync();
        _gateway.Decline = true;
        await _platform.Get<StartBillingCycle>().ExecuteAsync(Platform.TenantId);

        // A longer pause per step: the assertion below bounds how many steps late each retry may be, so a loaded
        // machine must not let fake time run ahead of the charges (each also raises a payment.failed event now).
        await PassUntilAsync(async () => (await Store.FindSubscriptionAsync(Platform.TenantId))!.Status == SubscriptionStatus.Suspended, TimeSpan.FromDays(60), pause: 25);

        var invoice = Assert.Single(await Store.ListInvoicesAsync(Platform.TenantId, 10));
        Assert.Equal(InvoiceStatus.Uncollectible, invoice.Status);
        Assert.Equal([1, 2, 3, 4, 5], invoice.Attempts.Select(a => a.Number));
        // Each retry fires on its schedule, counted from the first failure. Fake time passes in steps, and each hop
        // between an activity and its orchestrator on the embedded engine waits for the next step: a few steps late.
        var first = invoice.Attempts[0].At;
        var due = new[] { 1, 3, 5, 7 }.Select(days => TimeSpan.FromDays(days)).ToList();
        Assert.All(invoice.Attempts.Skip(1).Zip(due), pair => Assert.InRange(pair.First.At - first, pair.Second, pair.Second + (3 * Step)));

        _gateway.Decline = false;
        var paid = await _platform.Get<ChargeInvoice>().ExecuteAsync(Platform.TenantId, invoice.Id, attempt: 6);

        Assert.Equal(InvoiceStatus.Paid, paid!.Status);
        Assert.Equal(SubscriptionStatus.Active, (await Store.FindSubscriptionAsync(Platform.TenantId))!.Status);
    }

    [Fact]
    public async Task A_charge_replayed_after_a_crash_is_recorded_once()
    {
        await SubscribeToProfessionalAsync();
        await _platform.Engine.PassAsync(TimeSpan.FromDays(31));
        var closing = await _platform.Get<CloseBillingPeriods>().ExecuteAsync(Platform.TenantId);
        var invoiceId = Assert.Single(closing.Invoices).Id;
        var charge = _platform.Get<ChargeInvoice>();

        await Task.WhenAll(charge.ExecuteAsync(Platform.TenantId, invoiceId, 1), charge.ExecuteAsync(Platform.TenantId, invoiceId, 1));

        var invoice = (await Store.FindInvoiceAsync(Platform.TenantId, invoiceId))!;
        Assert.Single(invoice.Attempts);
        // The provider saw the attempt twice under one key, and charged it once.
        Assert.Equal([$"{invoiceId}-attempt-1"], _gateway.Charges.Select(c => c.Key).Distinct());
    }

    [Fact]
    public async Task A_cancelled_plan_is_charged_its_final_invoice_then_its_payment_account_is_closed()
    {
        await SubscribeToProfessionalAsync();
        await _platform.Get<StartBillingCycle>().ExecuteAsync(Platform.TenantId);
        var cancelled = await _platform.Get<CancelSubscription>().ExecuteAsync(Caller.Tenant(Platform.TenantId));

        await PassUntilAsync(async () => (await Store.FindSubscriptionAsync(Platform.TenantId))!.Payment is null, TimeSpan.FromDays(40));

        Assert.Equal(SubscriptionStatus.Cancelled, cancelled.Value!.Status);
        var invoice = Assert.Single(await Store.ListInvoicesAsync(Platform.TenantId, 10));
        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        // Renewals stop at the cancellation; the account closes only after the final invoice was charged to it.
        Assert.Equal(["stop-renewals sub-1", $"charge {invoice.Id}", "cancel sub-1"], _gateway.Calls);
        var subscription = (await Store.FindSubscriptionAsync(Platform.TenantId))!;
        Assert.Equal((Plan.Free, SubscriptionStatus.Active), (subscription.PlanId, subscription.Status));
    }

    private Task<bool> SubscribeToProfessionalAsync() => Store.TransactAsync(Platform.TenantId, async tx =>
    {
        var subscription = await tx.FindSubscriptionAsync();
        // From the start of the first period, so that its invoice is the whole Professional fee.
        tx.Save(subscription with { PlanId = Plan.Professional, Payment = new PaymentAccount("fake", "sub-1") });
        return true;
    });

    /// <param name="pause">Real time between steps: what the workflows get to act on each step before time moves on.</param>
    private async Task PassUntilAsync(Func<Task<bool>> condition, TimeSpan atMost, int pause = 5)
    {
        var passed = TimeSpan.Zero;
        while (!await condition())
        {
            Assert.True(passed < atMost, $"Nothing after {atMost.TotalDays} days of fake time.");
            await _platform.Engine.PassAsync(Step);
            passed += Step;
            await Task.Delay(pause);
        }
    }

    /// <summary>A payment provider that records each charge under its idempotency key and pays or declines as told.</summary>
    private sealed class RecordingGateway : IPaymentGateway
    {
        public ConcurrentQueue<(string InvoiceId, string Key)> Charges { get; } = new();

        /// <summary>What was asked of the provider, in order.</summary>
        public ConcurrentQueue<string> Calls { get; } = new();

        public bool Decline { get; set; }

        public bool IsOnline => true;

        public Task<ChargeResult> ChargeAsync(PaymentAccount account, Invoice invoice, int attempt, CancellationToken cancellationToken = default)
        {
            Charges.Enqueue((invoice.Id, $"{invoice.Id}-attempt-{attempt}"));
            Calls.Enqueue($"charge {invoice.Id}");
            return Task.FromResult(Decline
                ? new ChargeResult(ChargeOutcome.Declined, null, "INSTRUMENT_DECLINED")
                : new ChargeResult(ChargeOutcome.Paid, $"CAPTURE-{invoice.Id}-{attempt}", null));
        }

        public Task<RefundResult> RefundAsync(Invoice invoice, InvoiceRefund refund, CancellationToken cancellationToken = default) =>
            Task.FromResult(new RefundResult(RefundOutcome.Refunded, $"REFUND-{refund.Id}", null));

        public Task<CheckoutStarted> StartCheckoutAsync(string tenantId, Plan plan, Uri returnUrl, Uri cancelUrl, string requestKey, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task CancelAsync(PaymentAccount account, string reason, string requestKey, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue($"cancel {account.Reference}");
            return Task.CompletedTask;
        }

        public Task StopRenewalsAsync(PaymentAccount account, string reason, string requestKey, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue($"stop-renewals {account.Reference}");
            return Task.CompletedTask;
        }
    }
}
