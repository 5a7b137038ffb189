using System.Reflection;
using Workforce.Api.Auth;
using Workforce.Api.Realtime;
using Workforce.Core.Notifications;
using Workforce.Notifications.Email;
using Workforce.Notifications.Sms;
using Workforce.Storage.Azure;

namespace Workforce.Functions.Tests;

/// <summary>Every setting the app reads is given to it, locally and in Azure, by the name the code reads.</summary>
public sealed class SettingsTests
{
    private static IReadOnlyDictionary<string, string> Settings => FunctionsBuild.Settings;

    [Fact]
    public void Every_setting_the_app_reads_is_configured_for_a_local_run_and_in_azure()
    {
        Assert.NotEmpty(Settings);
        Assert.All(Settings.Values, name =>
        {
            Assert.True(DeploymentFiles.LocalSettings.Configures(name), $"local.settings.sample.json does not configure {name}.");
            Assert.True(DeploymentFiles.AzureAppSettings.Configures(name), $"infra/app/function-app.bicep does not configure {name}.");
        });
    }

    [Fact]
    public void The_settings_are_those_the_shared_options_bind()
    {
        Assert.Equal(AzureStorageOptions.Section, Settings["Storage"]);
        Assert.Equal($"{RealtimeOptions.Section}:{nameof(RealtimeOptions.TokenSigningKey)}", Settings["RealtimeTokenSigningKey"]);
        Assert.Equal($"{AdminOptions.Section}:{nameof(AdminOptions.ApiKey)}", Settings["AdminKey"]);
    }

    [Fact]
    public void The_bindings_name_their_connections_only_through_Settings()
    {
        var connections = FunctionsBuild.Functions
            .SelectMany(f => f.Bindings)
            .SelectMany(b => new[] { "connection", "connectionStringSetting" }.Where(b.ContainsKey).Select(b.Text))
            .ToList();

        Assert.NotEmpty(connections);
        Assert.All(connections, name => Assert.Contains(name, Settings.Values));
    }

    [Fact]
    public void Azure_app_settings_hold_no_keys_or_connection_strings()
    {
        // The Application Insights connection string names the component; with local authentication off, sending
        // telemetry takes an Entra ID token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING), so it grants nothing.
        var settings = DeploymentFiles.AzureAppSettings.Where(s => s.Key != "APPLICATIONINSIGHTS_CONNECTION_STRING").ToList();

        Assert.NotEmpty(settings);
        Assert.All(settings, setting => Assert.DoesNotMatch(@"(?i)listKeys|AccountKey|SharedAccessKey|AccessKey=|connectionString|primaryKey", setting.Value));
        Assert.All(new[] { "AzureWebJobsStorage", "ServiceBusConnection", "AzureSignalRConnectionString" }, connection =>
        {
            Assert.Equal("'managedidentity'", DeploymentFiles.AzureAppSettings[$"{connection}__credential"]);
            Assert.Equal("identityClientId", DeploymentFiles.AzureAppSettings[$"{connection}__clientId"]);
        });
        Assert.StartsWith("'@Microsoft.KeyVault(", DeploymentFiles.AzureAppSettings["Workforce__Admin__ApiKey"], StringComparison.Ordinal);
        Assert.StartsWith("'@Microsoft.KeyVault(", DeploymentFiles.AzureAppSettings["Workforce__Realtime__TokenSigningKey"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_signing_key_is_one_the_app_accepts()
    {
        var options = new RealtimeOptions { TokenSigningKey = DeploymentFiles.LocalSettings["Workforce__Realtime__TokenSigningKey"] };

        Assert.Empty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
    }

    [Fact]
    public void The_notification_settings_name_options_the_channels_bind_locally_and_in_azure()
    {
        // Longest section first, so that an Email or Sms setting is checked against its channel's options.
        var sections = new (string Prefix, Type Options)[]
        {
            (EmailOptions.Section.Replace(":", "__", StringComparison.Ordinal) + "__", typeof(EmailOptions)),
            (SmsOptions.Section.Replace(":", "__", StringComparison.Ordinal) + "__", typeof(SmsOptions)),
            (NotificationOptions.Section.Replace(":", "__", StringComparison.Ordinal) + "__", typeof(NotificationOptions)),
        };
        foreach (var (where, settings) in new[] { ("local.settings.sample.json", DeploymentFiles.LocalSettings), ("infra/app/function-app.bicep", DeploymentFiles.AzureAppSettings) })
        {
            var notifications = settings.Keys.Where(k => k.StartsWith(sections[^1].Prefix, StringComparison.Ordinal)).ToList();
            Assert.All(sections.Take(2), section => Assert.Contains(notifications, k => k.StartsWith(section.Prefix, StringComparison.Ordinal)));
            Assert.All(notifications, key =>
            {
                var (prefix, options) = sections.First(s => key.StartsWith(s.Prefix, StringComparison.Ordinal));
                Assert.True(options.GetProperty(key[prefix.Length..], BindingFlags.Public | BindingFlags.Instance)?.CanWrite == true,
                    $"{where} sets {key}, which {options.Name} does not bind.");
            });
        }
    }

    [Fact]
    public void The_channels_secrets_reach_the_azure_app_through_key_vault()
    {
        Assert.All(new[] { "Workforce__Notifications__Email__Password", "Workforce__Notifications__Sms__AuthToken" }, setting =>
            Assert.Contains("'@Microsoft.KeyVault(SecretUri=", DeploymentFiles.AzureAppSettings[setting], StringComparison.Ordinal));
    }
}
