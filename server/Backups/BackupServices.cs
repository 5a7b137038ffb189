using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Workforce.Api;
using Workforce.Orchestrations;
using Workforce.Orchestrations.Scheduling;

namespace Workforce.Server.Backups;

internal static class BackupServices
{
    /// <summary>Backups of the server's SQLite database: on demand, and on the configured schedule through the job scheduler.</summary>
    public static IServiceCollection AddDatabaseBackups(this IServiceCollection services)
    {
        services.AddValidatedOptions<BackupOptions>(BackupOptions.Section);
        services.AddSingleton<BackupFolder>();
        services.AddSingleton<TakeBackup>();
        // The scheduler takes every registered job; this one only in the server, which alone holds an SQLite database.
        services.AddSingleton(sp => ScheduledJobs.Backup(sp.GetRequiredService<IOptions<BackupOptions>>().Value.Schedule));
        return services;
    }

    public static DurableTaskRegistry AddDatabaseBackups(this DurableTaskRegistry registry) =>
        registry
            .AddOrchestrator<BackupOrchestrator>(WorkflowNames.Backup)
            .AddActivity<TakeBackupActivity>(WorkflowNames.TakeBackup);
}
