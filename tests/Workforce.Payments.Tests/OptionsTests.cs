using Workforce.Payments.PayPal;

namespace Workforce.Payments.Tests;

public sealed class OptionsTests
{
    private const string S = PayPalOptions.Section;

    [Fact]
    public async Task Without_credentials_nothing_is_sent_and_calls_say_billing_is_offline()
    {
        await using var paypal = await PayPalHarness.StartAsync(credentials: false);

        Assert.False(paypal.Client.IsConfigured);
        await Assert.ThrowsAsync<PayPalNotConfiguredException>(() => paypal.Client.GetSubscriptionAsync("I-ANY"));
        Assert.Empty(paypal.Fake.Requests);
    }

    [Fact]
    public void Defaults_are_the_sandbox_and_offline()
    {
        Assert.Empty(PayPalHarness.ValidationErrors([]));
        Assert.Equal(new Uri("https://api-m.sandbox.paypal.com"), new PayPalOptions().BaseUrl);
        Assert.False(new PayPalOptions().IsConfigured);
    }

    [Fact]
    public void Start_up_refuses_half_a_credential_pair_plain_http_off_loopback_and_a_missing_webhook_id()
    {
        Assert.Contains(PayPalHarness.ValidationErrors(new() { [$"{S}:ClientId"] = "id" }), e => e.Contains("ClientSecret", StringComparison.Ordinal));
        Assert.Contains(PayPalHarness.ValidationErrors(new() { [$"{S}:BaseUrl"] = "http://api-m.paypal.com" }), e => e.Contains("https", StringComparison.Ordinal));
        Assert.Contains(PayPalHarness.ValidationErrors(new() { [$"{S}:ClientId"] = "id", [$"{S}:ClientSecret"] = "secret" }), e => e.Contains("WebhookId", StringComparison.Ordinal));
        Assert.Contains(PayPalHarness.ValidationErrors(new() { [$"{S}:RequestTimeout"] = "00:01:00", [$"{S}:TotalTimeout"] = "00:00:30" }), e => e.Contains("TotalTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void Money_goes_out_as_a_decimal_string_with_the_currencys_decimals()
    {
        Assert.Equal("49.00", new PayPalMoney("USD", 49m).WireValue);
        Assert.Equal("0.10", new PayPalMoney("EUR", 0.1m).WireValue);
        Assert.Equal("4900", new PayPalMoney("JPY", 4900m).WireValue);
        Assert.Equal(new PayPalMoney("USD", 12.5m), PayPalMoney.Parse("USD", "12.50"));
        Assert.Throws<ArgumentException>(() => new PayPalMoney("USD", 1.005m));
        Assert.Throws<ArgumentException>(() => new PayPalMoney("usd", 1m));
    }
}
