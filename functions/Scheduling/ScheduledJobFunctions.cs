using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Functions.Workflows;
using Workforce.Orchestrations.Scheduling;
using Neutral = Workforce.Orchestrations.Durable;

namespace Workforce.Functions.Scheduling;

/// <summary>
/// The periodic jobs, on the schedules declared once in <see cref="ScheduledJobs"/>: each firing starts the job's
/// orchestration through the same runner the standalone server's scheduler calls.
/// </summary>
public sealed class ScheduledJobFunctions(IScheduledJobRunner jobs, DurableOrchestrationClient orchestrations)
{
    [Function(nameof(StartAgentLiveness))]
    public Task StartAgentLiveness([TimerTrigger(ScheduledJobs.AgentLivenessSchedule)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        RunAsync(ScheduledJobs.AgentLiveness, timer, durable, cancellationToken);

    [Function(nameof(StartCleanup))]
    public Task StartCleanup([TimerTrigger(ScheduledJobs.CleanupSchedule)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        RunAsync(ScheduledJobs.Cleanup, timer, durable, cancellationToken);

    private Task RunAsync(ScheduledJob job, TimerInfo timer, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        orchestrations.Use(durable);
        var status = timer.ScheduleStatus is { } s ? new Neutral.ScheduleStatus(s.Last, s.Next, s.LastUpdated) : null;
        return jobs.RunAsync(job, new Neutral.TimerInfo(timer.IsPastDue, status), cancellationToken);
    }
}
