using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Workforce.Orchestrations;
using Workforce.Orchestrations.AgentLiveness;
using Workforce.Orchestrations.Cleanup;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Functions.Workflows;

/// <summary>
/// The orchestrators of orchestrations/, run by Durable Functions: each wraps its TaskOrchestrationContext in the
/// runtime-neutral context and runs the registered orchestrator unchanged. Orchestrator code is replayed, so nothing
/// here may do I/O or read the clock.
/// </summary>
public sealed class OrchestratorFunctions(WorkflowRegistry workflows)
{
    [Function(WorkflowNames.TaskLifecycle)]
    public Task<TaskLifecycleOutcome?> TaskLifecycle([OrchestrationTrigger] TaskOrchestrationContext context) =>
        workflows.RunAsync<TaskLifecycleInput, TaskLifecycleOutcome?>(WorkflowNames.TaskLifecycle, new DurableOrchestrationContext(context), context.GetInput<TaskLifecycleInput>()!);

    [Function(WorkflowNames.AgentLiveness)]
    public Task<int> AgentLiveness([OrchestrationTrigger] TaskOrchestrationContext context) =>
        workflows.RunAsync<BatchInput, int>(WorkflowNames.AgentLiveness, new DurableOrchestrationContext(context), context.GetInput<BatchInput>()!);

    [Function(WorkflowNames.Cleanup)]
    public Task<CleanupReport> Cleanup([OrchestrationTrigger] TaskOrchestrationContext context) =>
        workflows.RunAsync<BatchInput, CleanupReport>(WorkflowNames.Cleanup, new DurableOrchestrationContext(context), context.GetInput<BatchInput>()!);
}
