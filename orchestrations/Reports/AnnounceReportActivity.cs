using Microsoft.DurableTask;
using Workforce.Core.Reports;

namespace Workforce.Orchestrations.Reports;

/// <summary>Raises report.ready (or report.failed) to the schedule's endpoints.</summary>
public sealed class AnnounceReportActivity(AnnounceReport announce) : TaskActivity<ReportRun, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ReportRun input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await announce.ExecuteAsync(input.TenantId, input.ReportId) is not null;
    }
}
