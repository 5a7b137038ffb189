using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workforce.Core.Files;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Core.Tenants;
using Workforce.Core.Usage;
using Workforce.Storage.Azure.Files;
using Workforce.Storage.Azure.Queues;
using Workforce.Storage.Azure.Rest;
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
        services.TryAddSingleton<TokenCredential>(sp => sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.ManagedIdentityClientId is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            var clock = sp.GetRequiredService<TimeProvider>();
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                var tokens = new TokenAuthentication(sp.GetRequiredService<TokenCredential>(), clock);
                return new AzureStorage(StorageAccount.ForTokens(options.AccountName!, options.EndpointSuffix), tokens, options, clock, sp.GetRequiredService<ILoggerFactory>());
            }

            var account = StorageAccount.Parse(options.ConnectionString);
            var key = new SharedKeyAuthentication(account.Name, account.SharedKey!);
            return new AzureStorage(account, key, options, clock, sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton<TenantRegistry>();
        services.AddSingleton<AzureTenantDirectory>();
        services.AddSingleton<ITenantDirectory>(sp => sp.GetRequiredService<AzureTenantDirectory>());
        services.AddSingleton<QueueLedger>();
        services.AddSingleton<IWorkQueues>(sp => new AzureWorkQueues(sp.GetRequiredService<AzureStorage>(), sp.GetRequiredService<QueueLedger>(), queues, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IWorkforceStore, AzureWorkforceStore>();
        services.AddSingleton<IUsageStore, AzureUsageStore>();
        services.AddSingleton<IBlobStore, AzureBlobStore>();
        services.AddHostedService(sp => new AzureStorageProvisioning(sp.GetRequiredService<AzureStorage>(), queues, sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value));
        return services;
    }

    /// <summary>Runs before the host's other start-up work (it is registered first), so that nothing uses a missing table.</summary>
    private sealed class AzureStorageProvisioning(AzureStorage storage, IReadOnlyList<QueueDefinition> queues, AzureStorageOptions options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => storage.ProvisionAsync(queues, options.StartupTimeout, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
