using Microsoft.DurableTask.Client;

namespace Workforce.Durable.Runtime;

internal static class RuntimeStatuses
{
    /// <summary>The statuses an instance of this engine ends in; it never records Canceled, which Durable Task has retired.</summary>
    public static IReadOnlyList<OrchestrationRuntimeStatus> Finished { get; } =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    public static bool IsFinished(this OrchestrationRuntimeStatus status) => Finished.Contains(status);
}
