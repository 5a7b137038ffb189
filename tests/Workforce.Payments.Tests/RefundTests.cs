using Workforce.Payments.PayPal;

namespace Workforce.Payments.Tests;

public sealed class RefundTests
{
    [Fact]
    public async Task Partial_refunds_add_up_to_the_capture_and_no_further()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var capture = await FirstCycleAsync(paypal);

        var first = await paypal.Client.RefundCaptureAsync(capture, new PayPalMoney("USD", 19.99m), "Goodwill credit", "INV-1", "refund-1");
        var second = await paypal.Client.RefundCaptureAsync(capture, new PayPalMoney("USD", 29.01m), null, null, "refund-2");
        var beyond = await paypal.Client.RefundCaptureAsync(capture, new PayPalMoney("USD", 0.01m), null, null, "refund-3");

        Assert.Equal((PayPalRefundOutcome.Completed, new PayPalMoney("USD", 19.99m)), (first.Outcome, first.Amount!.Value));
        Assert.Equal(PayPalRefundOutcome.Completed, second.Outcome);
        Assert.Equal(PayPalRefundOutcome.Refused, beyond.Outcome);
        Assert.Equal("CAPTURE_FULLY_REFUNDED", beyond.Error?.Issue);
        Assert.Equal(49m, paypal.Fake.Refunds.Sum(r => r.Amount));
    }

    [Fact]
    public async Task Refunding_more_than_is_left_is_refused_and_refunds_nothing()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var capture = await FirstCycleAsync(paypal);
        await paypal.Client.RefundCaptureAsync(capture, new PayPalMoney("USD", 40m), null, null, "refund-1");

        var over = await paypal.Client.RefundCaptureAsync(capture, new PayPalMoney("USD", 9.01m), null, null, "refund-2");

        Assert.Equal(PayPalRefundOutcome.Refused, over.Outcome);
        Assert.Equal("REFUND_AMOUNT_EXCEEDED", over.Error?.Issue);
        Assert.Equal(40m, Assert.Single(paypal.Fake.Refunds).Amount);
    }

    [Fact]
    public async Task A_refund_without_an_amount_refunds_what_is_left()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var capture = await FirstCycleAsync(paypal);
        await paypal.Client.RefundCaptureAsync(capture, new PayPalMoney("USD", 9m), null, null, "refund-1");

        var rest = await paypal.Client.RefundCaptureAsync(capture, amount: null, "Cancelled within the trial", null, "refund-2");

        Assert.Equal(PayPalRefundOutcome.Completed, rest.Outcome);
        Assert.Equal(new PayPalMoney("USD", 40m), rest.Amount);
        Assert.NotNull(rest.RefundId);
    }

    [Fact]
    public async Task The_same_refund_request_id_refunds_once()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var capture = await FirstCycleAsync(paypal);
        paypal.Fake.Faults.FailNext(1, 502, "/refund");

        var first = await paypal.Client.RefundCaptureAsync(capture, new PayPalMoney("USD", 10m), null, null, "refund-INV-1-1");
        var again = await paypal.Client.RefundCaptureAsync(capture, new PayPalMoney("USD", 10m), null, null, "refund-INV-1-1");

        Assert.Equal(first.RefundId, again.RefundId);
        Assert.Equal(10m, Assert.Single(paypal.Fake.Refunds).Amount);
    }

    [Fact]
    public async Task Refunding_an_unknown_capture_is_not_found()
    {
        await using var paypal = await PayPalHarness.StartAsync();

        await Assert.ThrowsAsync<PayPalNotFoundException>(() => paypal.Client.RefundCaptureAsync("NOSUCHCAPTURE", null, null, null, "refund-1"));
    }

    private static async Task<string> FirstCycleAsync(PayPalHarness paypal)
    {
        await paypal.ActiveSubscriptionAsync();
        return Assert.Single(paypal.Fake.Charges).CaptureId;
    }
}
