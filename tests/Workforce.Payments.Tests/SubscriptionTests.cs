using Workforce.Payments.PayPal;

namespace Workforce.Payments.Tests;

public sealed class SubscriptionTests
{
    private static readonly Uri ReturnUrl = new("https://workforce.example/billing/return");
    private static readonly Uri CancelUrl = new("https://workforce.example/billing/cancel");

    [Fact]
    public async Task A_new_subscription_waits_for_approval_at_PayPals_approve_link()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var plan = await paypal.PlanAsync();

        var subscription = await paypal.Client.CreateSubscriptionAsync(new PayPalSubscriptionRequest(plan.Id, "tenant-7", ReturnUrl, CancelUrl), "checkout-tenant-7-1");

        Assert.StartsWith("I-", subscription.Id, StringComparison.Ordinal);
        Assert.Equal(PayPalSubscriptionStatus.ApprovalPending, subscription.Status);
        Assert.Equal("tenant-7", subscription.CustomId);
        Assert.NotNull(subscription.ApprovalUrl);
        Assert.Contains("ba_token=BA-", subscription.ApprovalUrl.Query, StringComparison.Ordinal);
        Assert.Empty(paypal.Fake.Charges);
    }

    [Fact]
    public async Task Following_the_approve_link_activates_the_subscription_and_PayPal_charges_the_first_cycle()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var plan = await paypal.PlanAsync();
        var created = await paypal.Client.CreateSubscriptionAsync(new PayPalSubscriptionRequest(plan.Id, "tenant-7", ReturnUrl, CancelUrl), "checkout-tenant-7-1");

        using var payer = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var approval = await payer.GetAsync(created.ApprovalUrl, TestContext.Current.CancellationToken);
        var subscription = await paypal.Client.GetSubscriptionAsync(created.Id);

        Assert.Equal(System.Net.HttpStatusCode.Found, approval.StatusCode);
        Assert.Contains($"subscription_id={created.Id}", approval.Headers.Location!.Query, StringComparison.Ordinal);
        Assert.Equal(PayPalSubscriptionStatus.Active, subscription.Status);
        Assert.Equal(new PayPalMoney("USD", 49m), subscription.LastPaymentAmount);
        Assert.NotNull(subscription.NextBillingTime);
        Assert.Equal(new PayPalMoney("USD", 0m), subscription.OutstandingBalance);
        var charge = Assert.Single(paypal.Fake.Charges);
        Assert.Equal(("renewal", 49m), (charge.Kind, charge.Amount));
    }

    [Fact]
    public async Task The_same_checkout_request_id_creates_one_subscription()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var plan = await paypal.PlanAsync();
        var request = new PayPalSubscriptionRequest(plan.Id, "tenant-7", ReturnUrl, CancelUrl);

        var first = await paypal.Client.CreateSubscriptionAsync(request, "checkout-tenant-7-1");
        var again = await paypal.Client.CreateSubscriptionAsync(request, "checkout-tenant-7-1");

        Assert.Equal(first.Id, again.Id);
    }

    [Fact]
    public async Task Suspend_activate_and_cancel_move_the_subscription_and_repeating_one_is_harmless()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var subscription = await paypal.ActiveSubscriptionAsync();

        await paypal.Client.SuspendSubscriptionAsync(subscription.Id, "Payment overdue", "suspend-1");
        Assert.Equal(PayPalSubscriptionStatus.Suspended, (await paypal.Client.GetSubscriptionAsync(subscription.Id)).Status);
        await paypal.Client.SuspendSubscriptionAsync(subscription.Id, "Payment overdue", "suspend-2");

        await paypal.Client.ActivateSubscriptionAsync(subscription.Id, "Paid", "activate-1");
        Assert.Equal(PayPalSubscriptionStatus.Active, (await paypal.Client.GetSubscriptionAsync(subscription.Id)).Status);

        await paypal.Client.CancelSubscriptionAsync(subscription.Id, "Tenant left", "cancel-1");
        await paypal.Client.CancelSubscriptionAsync(subscription.Id, "Tenant left", "cancel-2");
        Assert.Equal(PayPalSubscriptionStatus.Cancelled, (await paypal.Client.GetSubscriptionAsync(subscription.Id)).Status);
    }

    [Fact]
    public async Task Suspending_a_cancelled_subscription_is_refused_with_PayPals_issue()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var subscription = await paypal.ActiveSubscriptionAsync();
        await paypal.Client.CancelSubscriptionAsync(subscription.Id, "Tenant left", "cancel-1");

        var refusal = await Assert.ThrowsAsync<PayPalRejectedException>(() => paypal.Client.SuspendSubscriptionAsync(subscription.Id, "Overdue", "suspend-1"));

        Assert.Equal("UNPROCESSABLE_ENTITY", refusal.Error?.Name);
        Assert.Equal("SUBSCRIPTION_STATUS_INVALID", refusal.Error?.Issue);
        Assert.NotNull(refusal.Error?.DebugId);
    }

    [Fact]
    public async Task An_unknown_subscription_is_not_found()
    {
        await using var paypal = await PayPalHarness.StartAsync();

        var error = await Assert.ThrowsAsync<PayPalNotFoundException>(() => paypal.Client.GetSubscriptionAsync("I-NOSUCHTHING"));

        Assert.Equal("RESOURCE_NOT_FOUND", error.Error?.Name);
    }

    [Fact]
    public async Task A_failed_renewal_leaves_an_outstanding_balance_and_a_failed_payment_count()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var subscription = await paypal.ActiveSubscriptionAsync();
        paypal.Fake.Faults.FailNextRenewal();

        paypal.Fake.RenewCycle(subscription.Id);
        var after = await paypal.Client.GetSubscriptionAsync(subscription.Id);

        Assert.Equal(new PayPalMoney("USD", 49m), after.OutstandingBalance);
        Assert.Equal(1, after.FailedPaymentsCount);
        Assert.Contains(paypal.Fake.Events, e => e.EventType == "BILLING.SUBSCRIPTION.PAYMENT.FAILED");
    }
}
