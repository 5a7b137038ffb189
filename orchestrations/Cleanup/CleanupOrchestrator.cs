using Microsoft.DurableTask;
using Workforce.Orchestrations.AgentLiveness;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>
/// Removes what is past retention — finished tasks, finished orchestration histories, expired idempotency keys,
/// old dead letters, usage events past their period and grace window, notification deliveries and analytics past their retention, reports (and their files) past theirs, audit entries past theirs, acknowledged and expired agent messages — in bounded batches, each its own short
/// transaction, so cleanup never stalls requests.
/// </summary>
public sealed class CleanupOrchestrator : TaskOrchestrator<BatchInput, CleanupReport>
{
    private static readonly string[] Purges =
    [
        WorkflowNames.PurgeFinishedTasks,
        WorkflowNames.PurgeFinishedOrchestrations,
        WorkflowNames.PurgeExpiredSubmissions,
        WorkflowNames.PurgeDeadLetters,
        WorkflowNames.PurgeUsageEvents,
        WorkflowNames.PurgeDeliveries,
        WorkflowNames.PurgeMinuteRollups,
        WorkflowNames.PurgeHourRollups,
        WorkflowNames.PurgeAgentSamples,
        WorkflowNames.PurgeAnomalies,
        WorkflowNames.PurgeReports,
        WorkflowNames.PurgeAudit,
        WorkflowNames.PurgeMessages,
    ];

    public override async Task<CleanupReport> RunAsync(TaskOrchestrationContext context, BatchInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var purged = new Dictionary<string, int>();
        foreach (var purge in Purges)
        {
            purged[purge] = 0;
            for (var batch = 0; batch < input.MaxBatches; batch++)
            {
                var deleted = await context.CallActivityAsync<int>(purge, input.BatchSize);
                purged[purge] += deleted;
                if (deleted < input.BatchSize)
                {
                    break;
                }
            }
        }

        return new CleanupReport(purged);
    }
}

/// <summary>How many records each purge deleted.</summary>
public sealed record CleanupReport(IReadOnlyDictionary<string, int> Purged);
