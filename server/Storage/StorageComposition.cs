using Microsoft.Extensions.Options;
using Workforce.Core.Queues;
using Workforce.Storage.Azure;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Storage;

/// <summary>Puts the configured storage provider behind the core's storage ports.</summary>
internal static class StorageComposition
{
    public static IServiceCollection AddWorkforceStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SqliteStorageOptions>().BindConfiguration(SqliteStorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // An unknown provider is reported by the options validation at start-up; until then, the default stands in.
        var provider = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.Provider;
        if (!string.Equals(provider, StorageOptions.Azure, StringComparison.Ordinal))
        {
            return services.AddSqliteStorage();
        }

        services.AddOptions<AzureStorageOptions>().BindConfiguration(AzureStorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The server's own embedded state (the orchestration engine's history and timers) stays in SQLite.
        services.AddSqliteDatabase();
        return services.AddAzureStorage(WorkQueues.All);
    }
}
