using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workforce.Orchestrations;

namespace Workforce.Durable.Runtime;

/// <summary>
/// Durable Task's client API on the embedded engine, so that the code that starts, signals and inspects workflows
/// is the same on the standalone server as on Durable Functions. Payloads go through the workflows' converter.
/// </summary>
internal sealed class EmbeddedDurableTaskClient(DurableEngine engine) : DurableTaskClient("embedded")
{
    private const int DefaultPageSize = 100;

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) =>
        engine.ScheduleAsync(orchestratorName.Name, WorkflowJson.Converter.Serialize(input), options, cancellation);

    /// <summary>An event for an instance that does not exist or has finished is dropped, as on Durable Task.</summary>
    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        engine.RaiseEventAsync(instanceId, eventName, WorkflowJson.Converter.Serialize(eventPayload), cancellation);

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        engine.TerminateAsync(instanceId, WorkflowJson.Converter.Serialize(options?.Output), cancellation);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("The embedded durable engine does not suspend instances; terminate the instance instead.");

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("The embedded durable engine does not suspend instances, so there is nothing to resume.");

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Task.FromResult(engine.GetInstance(instanceId, getInputsAndOutputs));

    /// <exception cref="ArgumentException">A continuation token this engine did not issue (when the pages are read).</exception>
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        var query = filter ?? new OrchestrationQuery();
        return Pageable.Create((continuation, pageSize, _) =>
            Task.FromResult(engine.QueryInstances(query, continuation ?? query.ContinuationToken, pageSize ?? (query.PageSize > 0 ? query.PageSize : DefaultPageSize))));
    }

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        engine.WaitForStatusAsync(instanceId, status => status != OrchestrationRuntimeStatus.Pending, getInputsAndOutputs, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        engine.WaitForStatusAsync(instanceId, RuntimeStatuses.IsFinished, getInputsAndOutputs, cancellation);

    /// <summary>Removes a finished instance and its history; an unfinished or unknown one is left alone (a count of 0).</summary>
    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        new(await engine.PurgeAsync(instanceId, filter: null));

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        new(await engine.PurgeAsync(instanceId: null, filter));

    /// <summary>The engine's lifetime is the host's; the client holds nothing of its own.</summary>
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
