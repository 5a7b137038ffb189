using Microsoft.DurableTask;
using Workforce.Core.Reports;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of reports past their retention (Workforce:Reports:Retention), with their files.</summary>
public sealed class PurgeReportsActivity(PurgeReports purge) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) => purge.ExecuteAsync(input);
}
