using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Workforce.Orchestrations;

/// <summary>
/// Starting an orchestration under a fixed instance id is how the workflows make sure something runs once at a
/// time: a task's lifecycle, a periodic job. Durable Task replaces a running instance that is started again unless
/// the start names the statuses to refuse, so every such start goes through here.
/// </summary>
public static class ExclusiveInstances
{
    /// <summary>The statuses of an instance that has not finished.</summary>
    public static IReadOnlyList<OrchestrationRuntimeStatus> Unfinished { get; } =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <returns>False when an instance with that id has not finished yet; a finished one is started afresh.</returns>
    public static async Task<bool> TryStartAsync(
        this DurableTaskClient client, TaskName orchestrator, string instanceId, object? input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                orchestrator, input, new StartOrchestrationOptions(instanceId).WithDedupeStatuses([.. Unfinished]), cancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }
}
