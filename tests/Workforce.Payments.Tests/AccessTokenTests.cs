using Microsoft.Extensions.Time.Testing;
using Workforce.Payments.PayPal;

namespace Workforce.Payments.Tests;

public sealed class AccessTokenTests
{
    [Fact]
    public async Task One_token_serves_every_call_until_it_nears_expiry()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        await paypal.PlanAsync();
        await paypal.PlanAsync();

        Assert.Equal(1, paypal.Fake.TokensIssued);
        var tokenRequest = Assert.Single(paypal.Fake.Requests, r => r.PathAndQuery == "v1/oauth2/token");
        Assert.Equal(200, tokenRequest.Status);
    }

    [Fact]
    public async Task A_cached_token_is_renewed_a_margin_before_it_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var paypal = await PayPalHarness.StartAsync(s => s[$"{PayPalOptions.Section}:TokenRefreshMargin"] = "00:05:00", time: clock);
        paypal.Fake.TokenLifetime = TimeSpan.FromHours(1);
        await paypal.Client.EnsureProductAsync(new PayPalProductDefinition("P-SHORT-LIVED", "Short"));
        clock.Advance(TimeSpan.FromMinutes(54));
        await paypal.Client.EnsureProductAsync(new PayPalProductDefinition("P-SHORT-LIVED", "Short"));
        Assert.Equal(1, paypal.Fake.TokensIssued);

        // Four minutes before PayPal would expire it: renewed, never refused.
        clock.Advance(TimeSpan.FromMinutes(2));
        await paypal.Client.EnsureProductAsync(new PayPalProductDefinition("P-SHORT-LIVED", "Short"));

        Assert.Equal(2, paypal.Fake.TokensIssued);
        Assert.DoesNotContain(paypal.Fake.Requests, r => r.Status == 401);
    }

    [Fact]
    public async Task A_token_PayPal_stops_accepting_is_replaced_and_the_call_retried_once()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var plan = await paypal.PlanAsync();
        paypal.Fake.ExpireAccessTokens();

        var plans = await paypal.Client.ListPlansAsync(plan.ProductId);

        Assert.Equal(plan.Id, Assert.Single(plans).Id);
        Assert.Equal(2, paypal.Fake.TokensIssued);
        Assert.Single(paypal.Fake.Requests, r => r.Status == 401);
    }

    [Fact]
    public async Task Wrong_credentials_are_an_authentication_error_with_PayPals_reason()
    {
        await using var paypal = await PayPalHarness.StartAsync(s => s[$"{PayPalOptions.Section}:ClientSecret"] = "wrong");

        var error = await Assert.ThrowsAsync<PayPalAuthenticationException>(() => paypal.Client.GetSubscriptionAsync("I-ANY"));

        Assert.Equal("invalid_client", error.Error?.Name);
        Assert.Equal("Client Authentication failed", error.Error?.Message);
    }

    [Fact]
    public async Task Neither_the_secret_nor_a_token_is_ever_logged()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        await paypal.ActiveSubscriptionAsync();
        paypal.Fake.ExpireAccessTokens();
        paypal.Fake.Faults.FailNext(1);
        await paypal.PlanAsync();

        Assert.NotEmpty(paypal.Logs.All);
        var everything = string.Join('\n', paypal.Logs.All.Select(e => e.Message + string.Join(',', e.Values.Select(v => v.Value))));
        Assert.DoesNotContain(FakePayPalCredentials.Secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("A21AA", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{FakePayPalCredentials.Id}:{FakePayPalCredentials.Secret}")), everything, StringComparison.Ordinal);
    }

    private static class FakePayPalCredentials
    {
        public const string Id = Workforce.Testing.PayPal.FakePayPal.ClientId;
        public const string Secret = Workforce.Testing.PayPal.FakePayPal.ClientSecret;
    }
}
