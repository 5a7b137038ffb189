using System.Net;
using Workforce.Core.Notifications;

namespace Workforce.Core.Tests.Notifications;

public sealed class EndpointTargetsTests
{
    private static readonly NotificationOptions Production = new();

    [Theory]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://172.20.0.1/hooks")]
    [InlineData("https://192.168.1.10/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://100.64.0.1/hooks")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://[fe80::1]/hooks")]
    [InlineData("https://[fd00::1]/hooks")]
    [InlineData("https://[::ffff:127.0.0.1]/hooks")]
    [InlineData("https://localhost/hooks")]
    [InlineData("https://api.localhost/hooks")]
    [InlineData("https://0.0.0.0/hooks")]
    public void Private_loopback_and_link_local_webhook_targets_are_refused_in_production(string target)
    {
        var refusal = EndpointTargets.Refusal(NotificationChannel.Webhook, target, Production);

        Assert.Contains("private, loopback or link-local", refusal, StringComparison.Ordinal);
        Assert.Null(EndpointTargets.Refusal(NotificationChannel.Webhook, target, new NotificationOptions { AllowPrivateTargets = true }));
    }

    [Theory]
    [InlineData("https://hooks.example.com/workforce", null)]
    [InlineData("https://93.184.216.34/hooks", null)]
    [InlineData("http://hooks.example.com/workforce", "Use https")]
    [InlineData("ftp://hooks.example.com/", "absolute https URL")]
    [InlineData("https://user:pass@hooks.example.com/", "without credentials")]
    [InlineData("/relative", "absolute https URL")]
    public void Webhook_targets_are_absolute_https_urls_without_credentials(string target, string? refused)
    {
        var refusal = EndpointTargets.Refusal(NotificationChannel.Webhook, target, Production);

        if (refused is null)
        {
            Assert.Null(refusal);
        }
        else
        {
            Assert.Contains(refused, refusal, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(NotificationChannel.Email, "ops@example.com", true)]
    [InlineData(NotificationChannel.Email, "Ops <ops@example.com>", false)]
    [InlineData(NotificationChannel.Email, "ops@localhost", false)]
    [InlineData(NotificationChannel.Sms, "+14155550123", true)]
    [InlineData(NotificationChannel.Sms, "4155550123", false)]
    [InlineData(NotificationChannel.Sms, "+0123456789", false)]
    public void Email_and_sms_targets_are_one_address_and_an_E164_number(NotificationChannel channel, string target, bool accepted) =>
        Assert.Equal(accepted, EndpointTargets.Refusal(channel, target, Production) is null);

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2001:4860:4860::8888", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("172.31.255.255", false)]
    [InlineData("224.0.0.1", false)]
    public void Only_public_addresses_may_be_connected_to(string address, bool isPublic) =>
        Assert.Equal(isPublic, EndpointTargets.IsPublic(IPAddress.Parse(address)));
}
