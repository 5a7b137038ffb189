using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Core.Tenants;

namespace Workforce.Storage.Sqlite;

public static class SqliteStorageServices
{
    /// <summary>The SQLite adapters, opened on first use from the bound <see cref="SqliteStorageOptions"/>.</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp => SqliteDatabase.Open(sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value));
        services.AddSingleton(sp => new SqliteWorkQueues(sp.GetRequiredService<SqliteDatabase>(), WorkQueues.All, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IWorkQueues>(sp => sp.GetRequiredService<SqliteWorkQueues>());
        services.AddSingleton<IWorkforceStore, SqliteWorkforceStore>();
        services.AddSingleton<ITenantDirectory, SqliteTenantDirectory>();
        return services;
    }
}
