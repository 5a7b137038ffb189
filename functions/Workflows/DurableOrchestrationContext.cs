using Microsoft.DurableTask;
using Neutral = Workforce.Orchestrations.Durable;

namespace Workforce.Functions.Workflows;

/// <summary>
/// Durable Functions' <see cref="TaskOrchestrationContext"/> behind the workflows' runtime-neutral
/// <see cref="Neutral.OrchestrationContext"/>, member for member, so that orchestrations/ runs unchanged on it.
/// </summary>
public sealed class DurableOrchestrationContext(TaskOrchestrationContext inner) : Neutral.OrchestrationContext
{
    public override string Name => inner.Name.Name;

    public override string InstanceId => inner.InstanceId;

    public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

    public override bool IsReplaying => inner.IsReplaying;

    public override T? GetInput<T>()
        where T : default => inner.GetInput<T>();

    public override Task<T> CallActivityAsync<T>(string name, object? input = null, Neutral.TaskOptions? options = null) =>
        Failing(inner.CallActivityAsync<T>(name, input, Options(options)));

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, string? instanceId = null, object? input = null, Neutral.TaskOptions? options = null) =>
        Failing(inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input,
            instanceId is null ? Options(options) : (Options(options) ?? new TaskOptions()).WithInstanceId(instanceId)));

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => inner.CreateTimer(fireAt, cancellationToken);

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
        inner.WaitForExternalEvent<T>(eventName, cancellationToken);

    public override void SetCustomStatus(object? customStatus) => inner.SetCustomStatus(customStatus);

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        inner.ContinueAsNew(newInput, preserveUnprocessedEvents);

    public override Guid NewGuid() => inner.NewGuid();

    private static TaskOptions? Options(Neutral.TaskOptions? options) => options?.Retry is { } retry
        ? TaskOptions.FromRetryPolicy(new RetryPolicy(retry.MaxNumberOfAttempts, retry.FirstRetryInterval, retry.BackoffCoefficient, retry.MaxRetryInterval, retry.RetryTimeout))
        : null;

    /// <summary>A failed task surfaces as the workflows' own <see cref="Neutral.TaskFailedException"/>, as the neutral contract promises.</summary>
    private static async Task<T> Failing<T>(Task<T> task)
    {
        try
        {
            return await task;
        }
        catch (TaskFailedException e)
        {
            throw new Neutral.TaskFailedException(e.TaskName, e.TaskId, new Neutral.FailureDetails(e.FailureDetails.ErrorType, e.FailureDetails.ErrorMessage));
        }
    }
}
