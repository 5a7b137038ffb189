namespace Workforce.Orchestrations.Durable;

/// <summary>
/// Starts, signals, inspects and removes orchestration instances; mirrors Microsoft.DurableTask.Client.DurableTaskClient,
/// which the Azure host wraps to implement it.
/// </summary>
public interface IOrchestrationClient
{
    /// <returns>The instance id.</returns>
    /// <exception cref="OrchestrationAlreadyExistsException">An instance with that id is pending or running.</exception>
    Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Delivers an event; an event for an instance that does not exist or has finished is dropped.</summary>
    Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellationToken = default);

    Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default);

    Task<OrchestrationPage> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default);

    Task TerminateInstanceAsync(string instanceId, object? output = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a finished instance and its history.</summary>
    Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellationToken = default);

    Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default);
}

public sealed class OrchestrationAlreadyExistsException(string instanceId)
    : InvalidOperationException($"An orchestration with instance id '{instanceId}' is already pending or running.")
{
    public string InstanceId { get; } = instanceId;
}
