using Microsoft.DurableTask.Client;
using Workforce.Core.Reports;

namespace Workforce.Orchestrations.Reports;

/// <summary>
/// Starts a report's <see cref="GenerateReportOrchestrator"/> under the report's id: a run still going is not started
/// twice, and one started again after it finished finds the report finished and only announces it again, which fans
/// out once (the event's id is the report's).
/// </summary>
public sealed class StartReportRun(DurableTaskClient orchestrations) : IReportRunner
{
    public Task StartAsync(Report report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return orchestrations.TryStartAsync(WorkflowNames.GenerateReport, report.Id, new ReportRun(report.TenantId, report.Id, report.ScheduleId), cancellationToken);
    }
}
