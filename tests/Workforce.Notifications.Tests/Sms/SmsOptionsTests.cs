using Workforce.Notifications.Sms;
using Workforce.Testing.Twilio;

namespace Workforce.Notifications.Tests.Sms;

public sealed class SmsOptionsTests
{
    private const string S = SmsHarness.S;

    [Fact]
    public void Defaults_are_Twilio_and_no_SMS()
    {
        Assert.Empty(SmsHarness.ValidationErrors([]));
        Assert.Equal(new Uri("https://api.twilio.com"), new SmsOptions().BaseUrl);
        Assert.False(new SmsOptions().IsConfigured);
    }

    [Fact]
    public void A_configured_account_is_accepted_with_a_token_and_one_sender()
    {
        Assert.Empty(SmsHarness.ValidationErrors(Account(FakeTwilio.PhoneNumber, null)));
        Assert.Empty(SmsHarness.ValidationErrors(Account(null, FakeTwilio.MessagingServiceSid)));
    }

    [Fact]
    public void Start_up_refuses_half_a_credential_pair_no_sender_or_two_and_malformed_sids()
    {
        Assert.Contains(SmsHarness.ValidationErrors(new() { [$"{S}:AuthToken"] = FakeTwilio.AuthToken }), e => e.Contains("AccountSid", StringComparison.Ordinal));
        Assert.Contains(SmsHarness.ValidationErrors(new() { [$"{S}:AccountSid"] = FakeTwilio.AccountSid, [$"{S}:From"] = FakeTwilio.PhoneNumber }), e => e.Contains("AuthToken", StringComparison.Ordinal));
        Assert.Contains(SmsHarness.ValidationErrors(Account(null, null)), e => e.Contains("exactly one", StringComparison.Ordinal));
        Assert.Contains(SmsHarness.ValidationErrors(Account(FakeTwilio.PhoneNumber, FakeTwilio.MessagingServiceSid)), e => e.Contains("exactly one", StringComparison.Ordinal));
        Assert.Contains(SmsHarness.ValidationErrors(Account(null, "MG-not-a-sid")), e => e.Contains("MessagingServiceSid must be", StringComparison.Ordinal));
        Assert.Contains(SmsHarness.ValidationErrors(new(Account(FakeTwilio.PhoneNumber, null)) { [$"{S}:AccountSid"] = "my-account" }), e => e.Contains("AccountSid must be", StringComparison.Ordinal));
        Assert.Contains(SmsHarness.ValidationErrors(new() { [$"{S}:BaseUrl"] = "http://api.twilio.com" }), e => e.Contains("https", StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> Account(string? from, string? service) => new()
    {
        [$"{S}:AccountSid"] = FakeTwilio.AccountSid,
        [$"{S}:AuthToken"] = FakeTwilio.AuthToken,
        [$"{S}:From"] = from,
        [$"{S}:MessagingServiceSid"] = service,
    };
}
