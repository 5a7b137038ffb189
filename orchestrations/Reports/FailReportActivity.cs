using Microsoft.DurableTask;
using Workforce.Core.Reports;

namespace Workforce.Orchestrations.Reports;

/// <summary>Records the error that stopped the report once its generation ran out of retries.</summary>
public sealed class FailReportActivity(GenerateReport generate) : TaskActivity<FailedReportRun, ReportStatus>
{
    public override async Task<ReportStatus> RunAsync(TaskActivityContext context, FailedReportRun input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (await generate.FailAsync(input.TenantId, input.ReportId, input.Error))?.Status ?? ReportStatus.Failed;
    }
}
