namespace Workforce.Core.Reports;

/// <summary>The tenant's report schedules.</summary>
public sealed class QueryReportSchedules(IReportStore reports)
{
    public async Task<Outcome<IReadOnlyList<ReportSchedule>>> ListAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAgent ? Failures.AgentKeyNotAllowed : Outcome<IReadOnlyList<ReportSchedule>>.Success(await reports.ListSchedulesAsync(caller.TenantId, cancellationToken));
    }

    public async Task<Outcome<ReportSchedule>> FindAsync(Caller caller, string scheduleId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        return await reports.FindScheduleAsync(caller.TenantId, scheduleId, cancellationToken) is { } schedule ? schedule : Failure.NotFound($"Report schedule {scheduleId}");
    }
}
