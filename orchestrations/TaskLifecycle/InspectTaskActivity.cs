using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Orchestrations.Durable;

namespace Workforce.Orchestrations.TaskLifecycle;

/// <summary>Reads where a task stands; null when it no longer exists.</summary>
public sealed class InspectTaskActivity(IWorkforceStore store) : Activity<TaskRef, TaskSnapshot?>
{
    public override string Name => WorkflowNames.InspectTask;

    public override async Task<TaskSnapshot?> RunAsync(ActivityContext context, TaskRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await store.FindTaskAsync(input.TenantId, input.TaskId) is { } task ? TaskSnapshot.Of(task) : null;
    }
}
