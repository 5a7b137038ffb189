using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Core.Tasks;
using Workforce.Functions.Changes;
using Workforce.Orchestrations;
using Workforce.Orchestrations.Durable;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Functions.Workflows;

/// <summary>
/// The activities of orchestrations/, run by Durable Functions: each calls the registered activity of its name.
/// Taking silent agents offline gives their tasks back to the queue, so that one tells the tasks' lifecycle workflows,
/// as a request that changes tasks does; purging orchestrations needs the invocation's Durable client.
/// </summary>
public sealed class ActivityFunctions(IEnumerable<IActivity> activities, DurableOrchestrationClient orchestrations, LifecycleEventRelay lifecycle)
{
    private readonly Dictionary<string, IActivity> _activities = activities.ToDictionary(a => a.Name, StringComparer.Ordinal);

    [Function(WorkflowNames.EnforceTaskTimeouts)]
    public Task<TaskSnapshot?> EnforceTaskTimeouts([ActivityTrigger] TaskRef input, FunctionContext context) =>
        RunAsync<TaskRef, TaskSnapshot?>(WorkflowNames.EnforceTaskTimeouts, input, context);

    [Function(WorkflowNames.TakeSilentAgentsOffline)]
    public async Task<int> TakeSilentAgentsOffline([ActivityTrigger] int input, [DurableClient] DurableTaskClient durable, FunctionContext context)
    {
        orchestrations.Use(durable);
        var changes = InvocationChanges.Record();
        var offline = await RunAsync<int, int>(WorkflowNames.TakeSilentAgentsOffline, input, context);
        await lifecycle.RaiseAsync(changes.Transitions, CancellationToken.None);
        return offline;
    }

    [Function(WorkflowNames.PurgeFinishedTasks)]
    public Task<int> PurgeFinishedTasks([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<int, int>(WorkflowNames.PurgeFinishedTasks, input, context);

    [Function(WorkflowNames.PurgeFinishedOrchestrations)]
    public Task<int> PurgeFinishedOrchestrations([ActivityTrigger] int input, [DurableClient] DurableTaskClient durable, FunctionContext context)
    {
        orchestrations.Use(durable);
        return RunAsync<int, int>(WorkflowNames.PurgeFinishedOrchestrations, input, context);
    }

    [Function(WorkflowNames.PurgeExpiredSubmissions)]
    public Task<int> PurgeExpiredSubmissions([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<int, int>(WorkflowNames.PurgeExpiredSubmissions, input, context);

    [Function(WorkflowNames.PurgeDeadLetters)]
    public Task<int> PurgeDeadLetters([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<int, int>(WorkflowNames.PurgeDeadLetters, input, context);

    private Task<TOutput> RunAsync<TInput, TOutput>(string name, TInput input, FunctionContext context) =>
        ((Activity<TInput, TOutput>)_activities[name]).RunAsync(new ActivityContext(name, InstanceIdOf(context)), input);

    /// <summary>The Durable extension passes the calling orchestration's id in the trigger's binding data.</summary>
    private static string InstanceIdOf(FunctionContext context) =>
        context.BindingContext.BindingData.TryGetValue("instanceId", out var instanceId) ? instanceId as string ?? "" : "";
}
