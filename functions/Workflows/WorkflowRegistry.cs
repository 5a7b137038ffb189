using Workforce.Orchestrations.Durable;

namespace Workforce.Functions.Workflows;

/// <summary>The orchestrators registered by AddWorkforceWorkflows, found by the names their functions carry.</summary>
public sealed class WorkflowRegistry(IEnumerable<IOrchestrator> orchestrators)
{
    private readonly Dictionary<string, IOrchestrator> _orchestrators = orchestrators.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public Task<TOutput> RunAsync<TInput, TOutput>(string name, OrchestrationContext context, TInput input) =>
        ((Orchestrator<TInput, TOutput>)_orchestrators[name]).RunAsync(context, input);
}
