using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Core.Notifications;
using Workforce.Notifications.Email;

namespace Workforce.Notifications.Tests.Email;

public sealed class EmailOptionsTests
{
    private const string S = EmailOptions.Section;

    [Fact]
    public void Defaults_are_a_submission_server_with_STARTTLS_required_and_no_server_configured()
    {
        var options = new EmailOptions();

        Assert.Empty(EmailHarness.ValidationErrors([]));
        Assert.Equal((587, EmailSecurity.StartTls, false), (options.Port, options.Security, options.IsConfigured));
    }

    [Fact]
    public void Start_up_refuses_a_server_without_a_sender_half_a_credential_pair_and_a_password_in_the_clear()
    {
        Assert.Contains(EmailHarness.ValidationErrors(new() { [$"{S}:Host"] = "smtp.example.com" }), e => e.Contains("FromAddress", StringComparison.Ordinal));
        Assert.Contains(EmailHarness.ValidationErrors(new() { [$"{S}:Host"] = "smtp.example.com", [$"{S}:FromAddress"] = "Ops <ops@example.com>" }),
            e => e.Contains("FromAddress", StringComparison.Ordinal));
        Assert.Contains(EmailHarness.ValidationErrors(new() { [$"{S}:UserName"] = "apikey" }), e => e.Contains("Password", StringComparison.Ordinal));
        Assert.Contains(EmailHarness.ValidationErrors(new() { [$"{S}:Port"] = "0" }), e => e.Contains("Port", StringComparison.Ordinal));
        var clear = new Dictionary<string, string?>
        {
            [$"{S}:Host"] = "smtp.example.com", [$"{S}:FromAddress"] = "ops@example.com", [$"{S}:Security"] = "None", [$"{S}:UserName"] = "apikey", [$"{S}:Password"] = "secret",
        };
        Assert.Contains(EmailHarness.ValidationErrors(clear), e => e.Contains("in the clear", StringComparison.Ordinal));
        Assert.Empty(EmailHarness.ValidationErrors(new(clear) { [$"{S}:Host"] = "127.0.0.1" }));
        Assert.Empty(EmailHarness.ValidationErrors(new(clear) { [$"{S}:Security"] = "SslOnConnect", [$"{S}:Port"] = "465" }));
    }

    [Fact]
    public async Task The_channel_is_registered_without_a_server_and_its_sends_say_email_is_not_configured()
    {
        var configuration = new ConfigurationBuilder().Build();
        await using var services = new ServiceCollection().AddEmailChannel(configuration).AddEmailChannel(configuration).BuildServiceProvider();

        var channel = Assert.Single(services.GetServices<INotificationChannel>());
        var result = await channel.SendAsync(EmailSends.TaskFailed(EmailSends.NewRecipient()), TestContext.Current.CancellationToken);

        Assert.Equal(NotificationChannel.Email, channel.Channel);
        Assert.Equal(ChannelOutcome.Failed, result.Outcome);
        Assert.Contains($"{S}:Host", result.Error, StringComparison.Ordinal);
    }
}
