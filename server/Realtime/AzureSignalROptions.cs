using Microsoft.Azure.SignalR;
using Microsoft.Extensions.Options;
using Workforce.Api.Realtime;

namespace Workforce.Server.Realtime;

/// <summary>
/// The Azure SignalR Service instance that holds the hub's client connections, so that several servers behind a load
/// balancer share one set of dashboards. Read from <see cref="Key"/>, or else from Azure SignalR's own
/// <see cref="StandardKey"/>; neither set, the hub runs in-process, as on a single server.
/// </summary>
internal sealed class AzureSignalROptions
{
    public const string Key = RealtimeOptions.Section + ":AzureSignalRConnectionString";

    /// <summary>Where the Azure SignalR SDK and its samples put it.</summary>
    public const string StandardKey = "Azure:SignalR:ConnectionString";

    public string? ConnectionString { get; set; }

    /// <summary>The setting the connection string came from, to name it in messages.</summary>
    public string Source { get; set; } = Key;

    public bool IsConfigured => ConnectionString is not null;

    public static AzureSignalROptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return NonBlank(configuration[Key]) is { } own ? new() { ConnectionString = own, Source = Key }
            : NonBlank(configuration[StandardKey]) is { } standard ? new() { ConnectionString = standard, Source = StandardKey }
            : new();
    }

    /// <summary>
    /// Where browsers connect for the hub: after negotiating with this server they are redirected to the service's
    /// client endpoint, which the dashboard's Content-Security-Policy must then allow. Empty when in-process.
    /// </summary>
    public IReadOnlyList<string> BrowserConnectSources()
    {
        if (ConnectionString is null)
        {
            return [];
        }

        var client = new ServiceEndpoint(ConnectionString).ClientEndpoint;
        var webSocket = new UriBuilder(client) { Scheme = client.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        return [client.GetLeftPart(UriPartial.Authority), webSocket.GetLeftPart(UriPartial.Authority)];
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>
/// Checks at start-up, with the SDK's own parser, that a configured connection string describes a service, so a typo
/// stops the start with what is wrong instead of failing later, once per reconnection, in the SDK's background loop.
/// </summary>
internal sealed class AzureSignalROptionsValidation : IValidateOptions<AzureSignalROptions>
{
    public ValidateOptionsResult Validate(string? name, AzureSignalROptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ConnectionString is { } connectionString && Problem(connectionString) is { } problem
            ? ValidateOptionsResult.Fail(
                $"{options.Source} is not a valid Azure SignalR Service connection string " +
                $"(Endpoint=https://<name>.service.signalr.net;AccessKey=<key>;Version=1.0; or AuthType=azure.msi instead of AccessKey): {problem}")
            : ValidateOptionsResult.Success;
    }

    /// <summary>What the SDK's parser finds wrong with the connection string, or null.</summary>
    public static string? Problem(string connectionString)
    {
        try
        {
            _ = new ServiceEndpoint(connectionString);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            // The SDK's messages end with "(Parameter 'connectionString')", which means nothing to whoever set the value.
            return e is ArgumentException { ParamName: { } parameter }
                ? e.Message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal)
                : e.Message;
        }
    }
}
