using Microsoft.Extensions.Logging;

namespace Workforce.Core.Reports;

/// <summary>
/// Runs the schedules that are due, of every tenant: each makes its report and moves its next run past now. The
/// report's id comes from the schedule and the due time, so a run repeated after a crash finds the report it made.
/// A schedule that missed runs while the platform was down runs once, for the latest time it was due.
/// </summary>
public sealed partial class RunDueReportSchedules(IReportStore reports, IReportRunner runner, TimeProvider clock, ILogger<RunDueReportSchedules> logger)
{
    /// <returns>How many schedules ran; as many as <paramref name="limit"/> means more may be due.</returns>
    public async Task<int> ExecuteAsync(int limit, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var due = await reports.FindDueSchedulesAsync(now, limit, cancellationToken);
        foreach (var schedule in due)
        {
            var dueAt = ScheduleTimes.LatestDue(schedule.Cron, schedule.NextRunAt, now);
            var id = Report.IdFor(schedule.Id, dueAt);
            var report = await reports.FindAsync(schedule.TenantId, id, cancellationToken);
            if (report is null)
            {
                report = new Report
                {
                    Id = id,
                    TenantId = schedule.TenantId,
                    Type = schedule.Type,
                    Format = schedule.Format,
                    From = dueAt - schedule.Range,
                    To = dueAt,
                    Filters = schedule.Filters,
                    CreatedAt = now,
                    ScheduleId = schedule.Id,
                };
                await reports.SaveAsync(report, cancellationToken);
            }

            await runner.StartAsync(report, cancellationToken);
            await reports.SaveAsync(schedule with { NextRunAt = ScheduleTimes.NextAfter(schedule.Cron, now), LastRunAt = dueAt, LastReportId = id }, cancellationToken);
            if (dueAt > schedule.NextRunAt)
            {
                LogMissed(logger, schedule.Id, schedule.TenantId, schedule.NextRunAt, dueAt);
            }
        }

        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report schedule {ScheduleId} of tenant {TenantId} was due since {Since}; ran once, for {DueAt}")]
    private static partial void LogMissed(ILogger logger, string scheduleId, string tenantId, DateTimeOffset since, DateTimeOffset dueAt);
}
