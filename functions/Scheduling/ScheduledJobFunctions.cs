using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Functions.Workflows;
using Workforce.Orchestrations.Scheduling;

namespace Workforce.Functions.Scheduling;

/// <summary>
/// The periodic jobs, on the schedules declared once in <see cref="ScheduledJobs"/>: each firing starts the job's
/// orchestration through the same runner the standalone server's scheduler calls, with the client it binds
/// (<see cref="DurableClientBinding"/>).
/// </summary>
public sealed class ScheduledJobFunctions(IScheduledJobRunner jobs)
{
    [Function(nameof(StartAgentLiveness))]
    public Task StartAgentLiveness([TimerTrigger(ScheduledJobs.AgentLivenessSchedule)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        RunAsync(ScheduledJobs.AgentLiveness, timer, cancellationToken);

    [Function(nameof(StartCleanup))]
    public Task StartCleanup([TimerTrigger(ScheduledJobs.CleanupSchedule)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        RunAsync(ScheduledJobs.Cleanup, timer, cancellationToken);

    [Function(nameof(StartAnalyticsSampling))]
    public Task StartAnalyticsSampling([TimerTrigger(ScheduledJobs.AnalyticsSamplingSchedule)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        RunAsync(ScheduledJobs.AnalyticsSampling, timer, cancellationToken);

    [Function(nameof(StartForecastRetraining))]
    public Task StartForecastRetraining([TimerTrigger(ScheduledJobs.ForecastRetrainingSchedule)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        RunAsync(ScheduledJobs.ForecastRetraining, timer, cancellationToken);

    [Function(nameof(StartReportSchedules))]
    public Task StartReportSchedules([TimerTrigger(ScheduledJobs.ReportSchedulesSchedule)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        RunAsync(ScheduledJobs.ReportSchedules, timer, cancellationToken);

    private Task RunAsync(ScheduledJob job, TimerInfo timer, CancellationToken cancellationToken) =>
        jobs.RunAsync(job, new JobFiring(timer.IsPastDue, timer.ScheduleStatus?.Last), cancellationToken);
}
