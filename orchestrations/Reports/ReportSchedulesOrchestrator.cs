using Microsoft.DurableTask;
using Workforce.Orchestrations.AgentLiveness;

namespace Workforce.Orchestrations.Reports;

/// <summary>The every-minute job: runs the report schedules that are due, in batches, until none are left or the run has done its share.</summary>
public sealed class ReportSchedulesOrchestrator : TaskOrchestrator<BatchInput, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, BatchInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ran = 0;
        for (var batch = 0; batch < input.MaxBatches; batch++)
        {
            var count = await context.CallActivityAsync<int>(WorkflowNames.RunDueReportSchedules, input.BatchSize);
            ran += count;
            if (count < input.BatchSize)
            {
                break;
            }
        }

        return ran;
    }
}
