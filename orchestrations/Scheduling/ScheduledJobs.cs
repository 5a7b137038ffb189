namespace Workforce.Orchestrations.Scheduling;

/// <summary>
/// A periodic job: an orchestration started on an NCRONTAB schedule (six fields, seconds first, UTC), under a fixed
/// instance id so that a run still going when the next one is due is not started twice.
/// </summary>
public sealed record ScheduledJob(string Name, string Schedule, string Orchestrator, string InstanceId);

/// <summary>
/// The periodic jobs, declared once for both hosts: the standalone server's scheduler reads <see cref="All"/>, and
/// the Azure Functions' [TimerTrigger] attributes use the schedule constants.
/// </summary>
public static class ScheduledJobs
{
    /// <summary>Every 30 seconds.</summary>
    public const string AgentLivenessSchedule = "*/30 * * * * *";

    /// <summary>Every minute, on the minute.</summary>
    public const string AnalyticsSamplingSchedule = "0 * * * * *";

    /// <summary>Hourly, five minutes past: the hour's rollups are written by then.</summary>
    public const string ForecastRetrainingSchedule = "0 5 * * * *";

    /// <summary>Every 5 minutes.</summary>
    public const string CleanupSchedule = "0 */5 * * * *";

    /// <summary>Every minute, at second 0: report schedules are due to the minute.</summary>
    public const string ReportSchedulesSchedule = "0 * * * * *";

    /// <summary>Daily at 03:00 UTC: the default of the standalone server's <c>Workforce:Backup:Schedule</c>.</summary>
    public const string BackupSchedule = "0 0 3 * * *";

    public static ScheduledJob AgentLiveness { get; } = new("AgentLiveness", AgentLivenessSchedule, WorkflowNames.AgentLiveness, "platform:agent-liveness");

    public static ScheduledJob Cleanup { get; } = new("Cleanup", CleanupSchedule, WorkflowNames.Cleanup, "platform:cleanup");

    public static ScheduledJob ReportSchedules { get; } = new("ReportSchedules", ReportSchedulesSchedule, WorkflowNames.ReportSchedules, "platform:report-schedules");

    public static ScheduledJob AnalyticsSampling { get; } = new("AnalyticsSampling", AnalyticsSamplingSchedule, WorkflowNames.AnalyticsSampling, "platform:analytics-sampling");

    public static ScheduledJob ForecastRetraining { get; } = new("ForecastRetraining", ForecastRetrainingSchedule, WorkflowNames.ForecastRetraining, "platform:forecast-retraining");

    /// <summary>
    /// The standalone server's backup of its SQLite database, on the configured schedule. Not in <see cref="All"/>:
    /// the Functions app has no SQLite database (Azure Storage's point-in-time restore and soft delete cover it).
    /// </summary>
    public static ScheduledJob Backup(string schedule) => new("Backup", schedule, WorkflowNames.Backup, "platform:backup");

    public static IReadOnlyList<ScheduledJob> All { get; } = [AgentLiveness, Cleanup, AnalyticsSampling, ReportSchedules, ForecastRetraining];
}
