using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workforce.Core.Retention;
using Workforce.Orchestrations.AgentLiveness;

namespace Workforce.Orchestrations.Scheduling;

/// <summary>
/// Handles one firing of a job's timer: starts the job's orchestration, unless the previous run is still going.
/// A firing that comes late (the host was down when it was due) runs once, not once per missed occurrence.
/// </summary>
public sealed partial class StartScheduledJob(DurableTaskClient orchestrations, RetentionOptions retention, ILogger<StartScheduledJob> logger)
    : IScheduledJobRunner
{
    /// <summary>Enough batches that a normal backlog clears in one run, few enough that a run stays short.</summary>
    private const int MaxBatchesPerRun = 20;

    public async Task RunAsync(ScheduledJob job, JobFiring firing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(firing);
        if (firing.IsPastDue)
        {
            LogPastDue(logger, job.Name, firing.LastRun);
        }

        if (!await orchestrations.TryStartAsync(job.Orchestrator, job.InstanceId, new BatchInput(retention.BatchSize, MaxBatchesPerRun), cancellationToken))
        {
            LogStillRunning(logger, job.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} is past due (last run {LastRun}); running it now")]
    private static partial void LogPastDue(ILogger logger, string job, DateTime? lastRun);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} is due but its previous run is still going; skipped")]
    private static partial void LogStillRunning(ILogger logger, string job);
}
