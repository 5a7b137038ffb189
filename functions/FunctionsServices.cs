using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure.Core;
using Azure.Core.Serialization;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workforce.Api;
using Workforce.Api.Http;
using Workforce.Api.RateLimiting;
using Workforce.Api.Realtime;
using Workforce.Core.Agents;
using Workforce.Core.Notifications;
using Workforce.Core.Queues;
using Workforce.Core.Tasks;
using Workforce.Functions.Changes;
using Workforce.Functions.Http;
using Workforce.Functions.Queues;
using Workforce.Functions.Realtime;
using Workforce.Functions.Telemetry;
using Workforce.Functions.Workflows;
using Workforce.Notifications;
using Workforce.Orchestrations;
using Workforce.Payments.PayPal.Billing;
using Workforce.Storage.Azure;

namespace Workforce.Functions;

internal static class FunctionsServices
{
    /// <summary>
    /// The platform on Azure: the shared use cases and API on the Azure Storage adapters, the task and notification
    /// queues on Service Bus, the workflows on Durable Functions (each invocation brings its own Durable client, so
    /// what uses it is scoped; <see cref="DurableClientBinding"/> binds it), the notification channels the server
    /// delivers through, and live updates through Azure SignalR Service.
    /// </summary>
    public static IServiceCollection AddWorkforceFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApplicationInsightsTelemetryWorkerService();
        services.ConfigureFunctionsApplicationInsights();

        services.AddWorkforcePlatform();
        services.AddWorkforceTracing(configuration);
        services.AddWorkforceMetrics(configuration);
        services.AddHealthChecks()
            .AddCheck<Workforce.Api.Health.AzureStorageCheck>("azureStorage", tags: [Workforce.Api.Health.HealthReportJson.Ready], timeout: Workforce.Api.Health.HealthReportJson.CheckTimeout);
        services.AddOptions<RealtimeOptions>().Validate(o => o.TokenSigningKey is not null,
            $"Set {Settings.RealtimeTokenSigningKey} to base64 of at least {RealtimeOptions.MinSigningKeyBytes} random bytes; in Azure it is a Key Vault secret.");
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RealtimeOptions>>().Value;
            return new RealtimeAccessTokens(Convert.FromBase64String(options.TokenSigningKey!), options.AccessTokenLifetime, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(new RealtimeHubAddress(NegotiateAddress.Template));

        // Durable payloads and binding values (SignalR messages among them) travel in the API's JSON, so that live
        // updates look exactly like the standalone server's.
        services.Configure<WorkerOptions>(worker => worker.Serializer = new JsonObjectSerializer(ApiJson()));

        services.AddValidatedOptions<AzureStorageOptions>(Settings.Storage);
        services.AddAzureStorage(queues: []);
        services.AddPayPalPayments(configuration);
        services.AddNotificationChannels(configuration);
        // The connection the triggers use: a connection string locally (the emulator), the namespace in Azure,
        // reached as the same identity the storage adapters use.
        services.AddSingleton(sp => configuration.GetSection(Settings.ServiceBus) is { Value: { Length: > 0 } connectionString }
            ? new ServiceBusClient(connectionString)
            : new ServiceBusClient(
                configuration.GetSection(Settings.ServiceBus)["fullyQualifiedNamespace"]
                    ?? throw new InvalidOperationException($"Set {Settings.ServiceBus} (a connection string) or {Settings.ServiceBus}__fullyQualifiedNamespace."),
                sp.GetRequiredService<TokenCredential>()));
        services.Replace(ServiceDescriptor.Singleton<IWorkQueues, ServiceBusWorkQueues>());
        services.AddSingleton<TriggerSettlement>();

        services.AddWorkforceWorkflows(ServiceLifetime.Scoped);
        services.AddScoped<InvocationDurableClient>();
        services.AddScoped(sp => sp.GetRequiredService<InvocationDurableClient>().Client);

        services.AddSingleton<InvocationChanges>();
        services.AddSingleton<ITaskObserver>(sp => sp.GetRequiredService<InvocationChanges>());
        services.AddSingleton<IAgentObserver>(sp => sp.GetRequiredService<InvocationChanges>());
        services.AddSingleton<INotificationObserver>(sp => sp.GetRequiredService<InvocationChanges>());
        services.AddSingleton<LiveUpdates>();
        services.AddSingleton<MinimalApiHandlers>();
        // Per instance, as the server's limiter is per node: N instances allow N times the rate.
        services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.Section);
        services.AddSingleton(sp => ApiRateLimiter.Create(sp.GetRequiredService<IOptions<RateLimitOptions>>().Value));
        services.AddScoped<ApiRequests>();
        return services;
    }

    private static JsonSerializerOptions ApiJson()
    {
        // The source-generated API types first, reflection for the workflows' records and the bindings' own types.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        WorkforceJson.Configure(options);
        return options;
    }
}
