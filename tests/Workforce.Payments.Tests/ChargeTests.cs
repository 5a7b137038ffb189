using Workforce.Payments.PayPal;

namespace Workforce.Payments.Tests;

/// <summary>Overage: the amount is set as the outstanding balance, then captured.</summary>
public sealed class ChargeTests
{
    private static readonly PayPalMoney Overage = new("USD", 12.34m);

    [Fact]
    public async Task Capturing_the_outstanding_balance_charges_it_and_names_the_transaction()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var subscription = await paypal.ActiveSubscriptionAsync();

        await paypal.Client.SetOutstandingBalanceAsync(subscription.Id, Overage);
        var result = await paypal.Client.CaptureOutstandingBalanceAsync(subscription.Id, Overage, "Overage for invoice INV-1", "INV-1-attempt-1");

        Assert.Equal(PayPalChargeOutcome.Completed, result.Outcome);
        Assert.Equal(Overage, result.Amount);
        var charge = Assert.Single(paypal.Fake.Charges, c => c.Kind == "capture");
        Assert.Equal((result.TransactionId, 12.34m, "INV-1-attempt-1"), (charge.CaptureId, charge.Amount, charge.RequestId));
        Assert.Equal(0m, paypal.Fake.OutstandingBalanceOf(subscription.Id));
    }

    [Fact]
    public async Task The_same_request_id_never_charges_twice()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var subscription = await paypal.ActiveSubscriptionAsync();
        await paypal.Client.SetOutstandingBalanceAsync(subscription.Id, Overage);

        var first = await paypal.Client.CaptureOutstandingBalanceAsync(subscription.Id, Overage, "Overage", "INV-1-attempt-1");
        // Replayed after a crash: the balance is set again, the capture repeated with the same id.
        await paypal.Client.SetOutstandingBalanceAsync(subscription.Id, Overage);
        var replay = await paypal.Client.CaptureOutstandingBalanceAsync(subscription.Id, Overage, "Overage", "INV-1-attempt-1");

        Assert.Equal(first.TransactionId, replay.TransactionId);
        Assert.Single(paypal.Fake.Charges, c => c.Kind == "capture");
    }

    [Fact]
    public async Task A_declined_capture_is_a_typed_result_and_charges_nothing()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var subscription = await paypal.ActiveSubscriptionAsync();
        await paypal.Client.SetOutstandingBalanceAsync(subscription.Id, Overage);
        paypal.Fake.Faults.DeclineNextCapture("SUBSCRIBER_ACCOUNT_RESTRICTED");

        var result = await paypal.Client.CaptureOutstandingBalanceAsync(subscription.Id, Overage, "Overage", "INV-1-attempt-1");

        Assert.Equal(PayPalChargeOutcome.Declined, result.Outcome);
        Assert.Equal("UNPROCESSABLE_ENTITY", result.Error?.Name);
        Assert.Equal("SUBSCRIBER_ACCOUNT_RESTRICTED", result.Error?.Issue);
        Assert.DoesNotContain(paypal.Fake.Charges, c => c.Kind == "capture");
        Assert.Equal(12.34m, paypal.Fake.OutstandingBalanceOf(subscription.Id));

        // The next dunning attempt has its own id and goes through.
        var retry = await paypal.Client.CaptureOutstandingBalanceAsync(subscription.Id, Overage, "Overage", "INV-1-attempt-2");
        Assert.Equal(PayPalChargeOutcome.Completed, retry.Outcome);
    }

    [Fact]
    public async Task Capturing_more_than_the_outstanding_balance_is_declined_as_PayPal_does()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var subscription = await paypal.ActiveSubscriptionAsync();

        var nothingOwed = await paypal.Client.CaptureOutstandingBalanceAsync(subscription.Id, Overage, "Overage", "INV-1-attempt-1");
        await paypal.Client.SetOutstandingBalanceAsync(subscription.Id, new PayPalMoney("USD", 5m));
        var tooMuch = await paypal.Client.CaptureOutstandingBalanceAsync(subscription.Id, Overage, "Overage", "INV-1-attempt-2");

        Assert.Equal("ZERO_OUTSTANDING_BALANCE", nothingOwed.Error?.Issue);
        Assert.Equal("AMOUNT_GREATER_THAN_OUTSTANDING_BALANCE", tooMuch.Error?.Issue);
        Assert.Equal(PayPalChargeOutcome.Declined, tooMuch.Outcome);
        Assert.DoesNotContain(paypal.Fake.Charges, c => c.Kind == "capture");
    }
}
