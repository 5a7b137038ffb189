using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Workforce.Api;
using Workforce.Orchestrations;
using Workforce.Orchestrations.Scheduling;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Backups;

internal static class BackupServices
{
    /// <summary>
    /// Backups of the server's SQLite database and the files beside it, into a folder or a Blob Storage container: on
    /// demand, and on the configured schedule through the job scheduler.
    /// </summary>
    public static IServiceCollection AddDatabaseBackups(this IServiceCollection services)
    {
        services.AddValidatedOptions<BackupOptions>(BackupOptions.Section);
        services.AddSingleton<IBackupDestination>(sp => Destination(sp.GetRequiredService<IOptions<BackupOptions>>(), sp.GetRequiredService<IOptions<SqliteStorageOptions>>()));
        services.AddSingleton<TakeBackup>();
        // The scheduler takes every registered job; this one only in the server, which alone holds an SQLite database.
        services.AddSingleton(sp => ScheduledJobs.Backup(sp.GetRequiredService<IOptions<BackupOptions>>().Value.Schedule));
        return services;
    }

    /// <summary>The destination the options name; the restore command finds a backup the same way.</summary>
    public static IBackupDestination Destination(IOptions<BackupOptions> options, IOptions<SqliteStorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value.IsBlob ? BackupContainer.From(options.Value) : new BackupFolder(options, storage);
    }

    public static DurableTaskRegistry AddDatabaseBackups(this DurableTaskRegistry registry) =>
        registry
            .AddOrchestrator<BackupOrchestrator>(WorkflowNames.Backup)
            .AddActivity<TakeBackupActivity>(WorkflowNames.TakeBackup);
}
