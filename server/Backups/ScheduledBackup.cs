using Microsoft.DurableTask;
using Workforce.Orchestrations;
using Workforce.Orchestrations.AgentLiveness;

namespace Workforce.Server.Backups;

/// <summary>
/// The scheduled backup as the scheduler starts every job: an orchestration under a fixed instance id, so a backup
/// still running when the next is due is not started twice. Registered with the server's embedded engine only.
/// </summary>
public sealed class BackupOrchestrator : TaskOrchestrator<BatchInput?, string>
{
    /// <returns>The backup's file name.</returns>
    public override Task<string> RunAsync(TaskOrchestrationContext context, BatchInput? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CallActivityAsync<string>(WorkflowNames.TakeBackup);
    }
}

public sealed class TakeBackupActivity(TakeBackup backup) : TaskActivity<object?, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, object? input) => (await backup.ExecuteAsync()).Name;
}
