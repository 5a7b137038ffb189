using Microsoft.DurableTask;

namespace Workforce.Orchestrations.AgentLiveness;

/// <summary>One sweep of agent liveness: silent agents go offline and their tasks fail over, a batch at a time.</summary>
public sealed class AgentLivenessOrchestrator : TaskOrchestrator<BatchInput, int>
{
    /// <returns>How many agents went offline.</returns>
    public override async Task<int> RunAsync(TaskOrchestrationContext context, BatchInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var total = 0;
        for (var batch = 0; batch < input.MaxBatches; batch++)
        {
            var offline = await context.CallActivityAsync<int>(WorkflowNames.TakeSilentAgentsOffline, input.BatchSize);
            total += offline;
            if (offline < input.BatchSize)
            {
                break;
            }
        }

        return total;
    }
}

/// <summary>
/// How much one sweep may do: batches of <see cref="BatchSize"/>, at most <see cref="MaxBatches"/> of them; what is
/// left waits for the next sweep, so a sweep never holds the writer for long.
/// </summary>
public sealed record BatchInput(int BatchSize, int MaxBatches);
