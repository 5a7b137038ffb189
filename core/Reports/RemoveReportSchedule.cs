namespace Workforce.Core.Reports;

/// <summary>Stops a schedule. The reports it made stay until their retention ends; one still being made is finished, without a notification.</summary>
public sealed class RemoveReportSchedule(IReportStore reports)
{
    public async Task<Outcome<bool>> ExecuteAsync(Caller caller, string scheduleId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        return await reports.RemoveScheduleAsync(caller.TenantId, scheduleId, cancellationToken) ? true : Failure.NotFound($"Report schedule {scheduleId}");
    }
}
