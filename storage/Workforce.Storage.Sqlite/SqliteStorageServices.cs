using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workforce.Core.Analytics;
using Workforce.Core.Files;
using Workforce.Core.Forecasting;
using Workforce.Core.Queues;
using Workforce.Core.Reports;
using Workforce.Core.Storage;
using Workforce.Core.Tenants;

namespace Workforce.Storage.Sqlite;

public static class SqliteStorageServices
{
    /// <summary>
    /// The SQLite database alone, opened on first use from the bound <see cref="SqliteStorageOptions"/>: what the
    /// server keeps embedded whichever storage provider holds the platform's data.
    /// </summary>
    public static IServiceCollection AddSqliteDatabase(this IServiceCollection services)
    {
        services.AddSingleton(sp => SqliteDatabase.Open(sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value));
        return services;
    }

    /// <summary>The embedded adapters of every storage port: the SQLite database, and files beside it.</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services)
    {
        services.AddSqliteDatabase();
        services.AddSingleton(sp => new SqliteWorkQueues(sp.GetRequiredService<SqliteDatabase>(), WorkQueues.All, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IWorkQueues>(sp => sp.GetRequiredService<SqliteWorkQueues>());
        services.AddSingleton<IWorkforceStore, SqliteWorkforceStore>();
        services.AddSingleton<ITenantDirectory, SqliteTenantDirectory>();
        services.AddSingleton<IAnalyticsStore, SqliteAnalyticsStore>();
        services.AddSingleton<IReportStore, SqliteReportStore>();
        services.AddSingleton<IForecastStore, SqliteForecastStore>();
        services.AddSingleton<Core.Audit.IAuditLog, SqliteAuditLog>();
        services.AddSingleton<Core.Messaging.IMessageStore, SqliteMessageStore>();
        services.AddSingleton(sp => new FileSystemBlobStore(sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IBlobStore>(sp => sp.GetRequiredService<FileSystemBlobStore>());
        return services;
    }
}
