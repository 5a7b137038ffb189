using Microsoft.DurableTask;
using Workforce.Core.Reports;

namespace Workforce.Orchestrations.Reports;

/// <summary>
/// Makes one report (instance id = the report's id): the generation activity, retried while storage or the blob
/// store cannot be reached; when the retries run out, the report is marked failed with the last error. Then a
/// scheduled report is announced to its schedule's endpoints. A server killed midway replays this after its restart
/// and the activity runs again: it rewrites the file under the same name, so the report still completes once.
/// </summary>
public sealed class GenerateReportOrchestrator : TaskOrchestrator<ReportRun, ReportStatus>
{
    private static readonly TaskOptions Retries = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(2)));

    public override async Task<ReportStatus> RunAsync(TaskOrchestrationContext context, ReportRun run)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        ReportStatus status;
        try
        {
            status = await context.CallActivityAsync<ReportStatus>(WorkflowNames.GenerateReportFile, run, Retries);
        }
        catch (TaskFailedException e)
        {
            status = await context.CallActivityAsync<ReportStatus>(WorkflowNames.FailReport,
                new FailedReportRun(run.TenantId, run.ReportId, $"Generating the report failed: {e.FailureDetails.ErrorMessage}"), Retries);
        }

        if (run.ScheduleId is not null)
        {
            await context.CallActivityAsync<bool>(WorkflowNames.AnnounceReport, run, Retries);
        }

        return status;
    }
}

/// <param name="ScheduleId">The schedule that asked for it, whose endpoints hear when it is done; null for a report asked for by hand.</param>
public sealed record ReportRun(string TenantId, string ReportId, string? ScheduleId = null);

public sealed record FailedReportRun(string TenantId, string ReportId, string Error);
