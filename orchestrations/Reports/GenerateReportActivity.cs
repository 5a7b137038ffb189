using Microsoft.DurableTask;
using Workforce.Core.Reports;

namespace Workforce.Orchestrations.Reports;

/// <summary>Builds and writes the report; a report that no longer exists (purged) counts as failed, so the workflow ends.</summary>
public sealed class GenerateReportActivity(GenerateReport generate) : TaskActivity<ReportRun, ReportStatus>
{
    public override async Task<ReportStatus> RunAsync(TaskActivityContext context, ReportRun input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (await generate.ExecuteAsync(input.TenantId, input.ReportId))?.Status ?? ReportStatus.Failed;
    }
}
