using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workforce.Core.Notifications;
using Workforce.Notifications.Sms;
using Workforce.Testing.Twilio;

namespace Workforce.Notifications.Tests.Sms;

/// <summary>A fake Twilio and the SMS channel built the way a host builds it (<see cref="SmsServices.AddSmsChannel"/>), pointed at it.</summary>
internal sealed class SmsHarness : IAsyncDisposable
{
    public const string S = SmsOptions.Section;

    private readonly ServiceProvider _services;

    private SmsHarness(FakeTwilio fake, ServiceProvider services)
    {
        Fake = fake;
        _services = services;
        Channel = services.GetServices<INotificationChannel>().Single(c => c.Channel == NotificationChannel.Sms);
    }

    public FakeTwilio Fake { get; }

    public INotificationChannel Channel { get; }

    /// <param name="configure">Changes to the settings: the fake's account and number, and an attempt timeout of 5 s.</param>
    public static async Task<SmsHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var fake = await FakeTwilio.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            [$"{S}:BaseUrl"] = fake.BaseAddress.AbsoluteUri,
            [$"{S}:AccountSid"] = FakeTwilio.AccountSid,
            [$"{S}:AuthToken"] = FakeTwilio.AuthToken,
            [$"{S}:From"] = FakeTwilio.PhoneNumber,
            [$"{NotificationOptions.Section}:AttemptTimeout"] = "00:00:05",
        };
        configure?.Invoke(settings);
        var services = Build(settings);
        // What ValidateOnStart would do in a host.
        _ = services.GetRequiredService<IOptions<SmsOptions>>().Value;
        return new SmsHarness(fake, services);
    }

    public static IReadOnlyList<string> ValidationErrors(Dictionary<string, string?> settings)
    {
        using var services = Build(settings);
        try
        {
            _ = services.GetRequiredService<IOptions<SmsOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
    }

    /// <summary>One attempt to send <paramref name="notification"/> (the test event when none) to <paramref name="number"/>, rendered as the core renders an SMS.</summary>
    public static NotificationSend SendTo(string number, NotificationEvent? notification = null)
    {
        var at = DateTimeOffset.UtcNow;
        var endpoint = new NotificationEndpoint
        {
            Id = NotificationEndpoint.NewId(),
            TenantId = "tenant-1",
            Channel = NotificationChannel.Sms,
            Target = number,
            CreatedAt = at,
            UpdatedAt = at,
        };
        notification ??= NotificationEvents.OfTest(endpoint, at);
        return new NotificationSend(endpoint, notification, NotificationMessage.Render(notification, NotificationChannel.Sms, custom: null), at);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Fake.DisposeAsync();
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        // The host binds the core's notification options (the attempt timeout among them) once for every channel.
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section));
        return services.AddSmsChannel(configuration).BuildServiceProvider();
    }
}
