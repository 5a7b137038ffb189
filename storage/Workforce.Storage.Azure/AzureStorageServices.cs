using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Workforce.Core.Analytics;
using Workforce.Core.Files;
using Workforce.Core.Forecasting;
using Workforce.Core.Queues;
using Workforce.Core.Reports;
using Workforce.Core.Storage;
using Workforce.Core.Tenants;
using Workforce.Core.Usage;
using Workforce.Storage.Azure.Files;
using Workforce.Storage.Azure.Queues;
using Workforce.Storage.Azure.Tables;

namespace Workforce.Storage.Azure;

public static class AzureStorageServices
{
    /// <summary>
    /// The Azure Storage adapters of every storage port, from the bound and validated <see cref="AzureStorageOptions"/>.
    /// At start-up the tables, queues and container are created, and an unreachable account stops the start with
    /// <see cref="StorageUnavailableException"/>. Without a connection string, requests carry Entra ID tokens from
    /// the registered <see cref="TokenCredential"/> (a managed identity or <c>DefaultAzureCredential</c> unless the
    /// host registers its own).
    /// </summary>
    public static IServiceCollection AddAzureStorage(this IServiceCollection services, IReadOnlyList<QueueDefinition> queues)
    {
        services.AddSingleton<IValidateOptions<AzureStorageOptions>, AzureStorageOptionsValidation>();
        services.TryAddSingleton(sp => DefaultCredential(sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.ConnectionString)
                ? new AzureStorage(StorageAccount.ForTokens(options.AccountName!, options.EndpointSuffix), sp.GetRequiredService<TokenCredential>(), options)
                : new AzureStorage(StorageAccount.Parse(options.ConnectionString), tokens: null, options);
        });
        services.AddSingleton<TenantRegistry>();
        services.AddSingleton<AzureTenantDirectory>();
        services.AddSingleton<ITenantDirectory>(sp => sp.GetRequiredService<AzureTenantDirectory>());
        services.AddSingleton<QueueLedger>();
        services.AddSingleton<IWorkQueues>(sp => new AzureWorkQueues(sp.GetRequiredService<AzureStorage>(), sp.GetRequiredService<QueueLedger>(), queues, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IWorkforceStore, AzureWorkforceStore>();
        services.AddSingleton<IBlobStore, AzureBlobStore>();
        services.AddSingleton<IAnalyticsStore, AzureAnalyticsStore>();
        services.AddSingleton<IReportStore, AzureReportStore>();
        services.AddSingleton<IForecastStore, AzureForecastStore>();
        services.AddSingleton<Core.Audit.IAuditLog, AzureAuditLog>();
        services.AddSingleton<Core.Messaging.IMessageStore, AzureMessageStore>();
        services.AddHostedService(sp => new AzureStorageProvisioning(sp.GetRequiredService<AzureStorage>(), queues, sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value));
        return services;
    }

    /// <summary>
    /// The identity an account name is reached with: the user-assigned managed identity named by its client id, or
    /// whatever <see cref="DefaultAzureCredential"/> finds (the system-assigned identity in Azure, a developer's
    /// Azure CLI or Visual Studio sign-in elsewhere).
    /// </summary>
    internal static TokenCredential DefaultCredential(AzureStorageOptions options) =>
        options.ManagedIdentityClientId is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();

    /// <summary>Runs before the host's other start-up work (it is registered first), so that nothing uses a missing table.</summary>
    private sealed class AzureStorageProvisioning(AzureStorage storage, IReadOnlyList<QueueDefinition> queues, AzureStorageOptions options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => storage.ProvisionAsync(queues, options.StartupTimeout, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
