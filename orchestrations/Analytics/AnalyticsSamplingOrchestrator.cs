using Microsoft.DurableTask;
using Workforce.Orchestrations.AgentLiveness;

namespace Workforce.Orchestrations.Analytics;

/// <summary>One minute's sample of every tenant's levels (queue depth, agents online, slots), a page of tenants per activity.</summary>
public sealed class AnalyticsSamplingOrchestrator : TaskOrchestrator<BatchInput, int>
{
    /// <returns>How many tenants were sampled.</returns>
    public override async Task<int> RunAsync(TaskOrchestrationContext context, BatchInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var sampled = 0;
        string? cursor = null;
        for (var batch = 0; batch < input.MaxBatches; batch++)
        {
            var page = await context.CallActivityAsync<SampledPage>(WorkflowNames.SampleTenantGauges, new TenantPage(cursor, input.BatchSize));
            sampled += page.Sampled;
            cursor = page.NextCursor;
            if (cursor is null)
            {
                break;
            }
        }

        return sampled;
    }
}

public sealed record TenantPage(string? Cursor, int Limit);

public sealed record SampledPage(int Sampled, string? NextCursor);
