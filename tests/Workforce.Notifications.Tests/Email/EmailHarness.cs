using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workforce.Core.Notifications;
using Workforce.Notifications.Email;

namespace Workforce.Notifications.Tests.Email;

internal static class EmailHarness
{
    public static EmailChannel Channel(EmailOptions options, TimeSpan? attemptTimeout = null) =>
        new(Options.Create(options), Options.Create(new NotificationOptions { AttemptTimeout = attemptTimeout ?? new NotificationOptions().AttemptTimeout }));

    /// <summary>What start-up says of these settings (nothing when they are valid).</summary>
    public static IReadOnlyList<string> ValidationErrors(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddEmailChannel(configuration).BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<IOptions<EmailOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
    }
}
