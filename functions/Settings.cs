namespace Workforce.Functions;

/// <summary>
/// The connections and settings the app must be given, by the names it reads them under. Each is configured in
/// local.settings.sample.json for a local run and in infra/app/function-app.bicep for Azure; a test checks both files.
/// The other <c>Workforce:*</c> settings have defaults (README, Configuration) and may be set in either place.
/// </summary>
internal static class Settings
{
    /// <summary>
    /// The Service Bus namespace of the task queues, for the triggers and for sending: a connection string locally
    /// (the Service Bus emulator); <c>__fullyQualifiedNamespace</c>, <c>__credential</c> and <c>__clientId</c> in Azure.
    /// </summary>
    public const string ServiceBus = "ServiceBusConnection";

    /// <summary>
    /// Azure SignalR Service, for negotiate and the live updates: a connection string locally (the SignalR emulator);
    /// <c>__serviceUri</c>, <c>__credential</c> and <c>__clientId</c> in Azure.
    /// </summary>
    public const string SignalR = "AzureSignalRConnectionString";

    /// <summary>
    /// The platform's storage (Workforce.Storage.Azure): <c>ConnectionString</c> locally (Azurite); <c>AccountName</c>
    /// and <c>ManagedIdentityClientId</c> in Azure.
    /// </summary>
    public const string Storage = "Workforce:Storage";

    /// <summary>Signs the hub access tokens; required, since a serverless app has no data directory to keep one in.</summary>
    public const string RealtimeTokenSigningKey = "Workforce:Realtime:TokenSigningKey";

    /// <summary>The platform admin key that creates tenants; in Azure a Key Vault secret.</summary>
    public const string AdminKey = "Workforce:Admin:ApiKey";
}
