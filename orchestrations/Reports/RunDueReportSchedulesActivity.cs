using Microsoft.DurableTask;
using Workforce.Core.Reports;

namespace Workforce.Orchestrations.Reports;

public sealed class RunDueReportSchedulesActivity(RunDueReportSchedules run) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) => run.ExecuteAsync(input);
}
