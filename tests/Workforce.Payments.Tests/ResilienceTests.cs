using Workforce.Payments.PayPal;

namespace Workforce.Payments.Tests;

public sealed class ResilienceTests
{
    private static readonly PayPalMoney Overage = new("USD", 20m);

    [Fact]
    public async Task Server_errors_are_retried_with_the_same_request_id_until_PayPal_answers()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var subscription = await paypal.ActiveSubscriptionAsync();
        await paypal.Client.SetOutstandingBalanceAsync(subscription.Id, Overage);
        paypal.Fake.Faults.FailNext(2, 503, "/capture");

        var result = await paypal.Client.CaptureOutstandingBalanceAsync(subscription.Id, Overage, "Overage", "INV-9-attempt-1");

        Assert.Equal(PayPalChargeOutcome.Completed, result.Outcome);
        var attempts = paypal.Fake.Requests.Where(r => r.PathAndQuery.EndsWith("/capture", StringComparison.Ordinal)).ToList();
        Assert.Equal([503, 503, 200], attempts.Select(a => a.Status));
        Assert.All(attempts, a => Assert.Equal("INV-9-attempt-1", a.RequestId));
        Assert.Single(paypal.Fake.Charges, c => c.Kind == "capture");
    }

    [Fact]
    public async Task A_429_is_retried_after_the_Retry_After_PayPal_gave()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var plan = await paypal.PlanAsync();
        paypal.Fake.Faults.ThrottleNext(TimeSpan.FromSeconds(2), "v1/billing/plans");

        await paypal.Client.ListPlansAsync(plan.ProductId);

        // The configured backoff is 10 ms; the wait taken is PayPal's.
        var retry = Assert.Single(paypal.Logs.All, e => e.Message.Contains("retrying in", StringComparison.Ordinal));
        Assert.Contains("failed with 429; retrying in 00:00:02", retry.Message, StringComparison.Ordinal);
        var attempts = paypal.Fake.Requests.Where(r => r.PathAndQuery.StartsWith("v1/billing/plans?", StringComparison.Ordinal)).ToList();
        Assert.Equal([429, 200], attempts.TakeLast(2).Select(a => a.Status));
        Assert.True(attempts[^1].ReceivedAt - attempts[^2].ReceivedAt >= TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task A_charge_whose_answer_times_out_is_retried_and_charged_once()
    {
        await using var paypal = await PayPalHarness.StartAsync(s => s[$"{PayPalOptions.Section}:RequestTimeout"] = "00:00:00.500");
        var subscription = await paypal.ActiveSubscriptionAsync();
        await paypal.Client.SetOutstandingBalanceAsync(subscription.Id, Overage);
        paypal.Fake.Faults.DelayAnswerAfterProcessing(TimeSpan.FromSeconds(10), "/capture");

        var result = await paypal.Client.CaptureOutstandingBalanceAsync(subscription.Id, Overage, "Overage", "INV-9-attempt-1");

        Assert.Equal(PayPalChargeOutcome.Completed, result.Outcome);
        var attempts = paypal.Fake.Requests.Where(r => r.PathAndQuery.EndsWith("/capture", StringComparison.Ordinal)).ToList();
        Assert.True(attempts.Count >= 2);
        Assert.All(attempts, a => Assert.Equal("INV-9-attempt-1", a.RequestId));
        var charge = Assert.Single(paypal.Fake.Charges, c => c.Kind == "capture");
        Assert.Equal(result.TransactionId, charge.CaptureId);
    }

    [Fact]
    public async Task PayPal_down_through_every_retry_is_reported_unavailable()
    {
        await using var paypal = await PayPalHarness.StartAsync(s => s[$"{PayPalOptions.Section}:MaxRetries"] = "2");
        var plan = await paypal.PlanAsync();
        paypal.Fake.Faults.FailNext(3, 500, "v1/billing/plans");

        var error = await Assert.ThrowsAsync<PayPalUnavailableException>(() => paypal.Client.ListPlansAsync(plan.ProductId));

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.Status);
        Assert.Equal("INTERNAL_SERVER_ERROR", error.Error?.Name);
    }
}
