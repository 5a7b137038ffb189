using Workforce.Core.Tasks;
using Workforce.Orchestrations.Durable;

namespace Workforce.Orchestrations.TaskLifecycle;

/// <summary>Applies the task's time limits now; idempotent, so running it twice does no harm.</summary>
public sealed class EnforceTaskTimeoutsActivity(EnforceTaskTimeouts enforce) : Activity<TaskRef, TaskSnapshot?>
{
    public override string Name => WorkflowNames.EnforceTaskTimeouts;

    public override Task<TaskSnapshot?> RunAsync(ActivityContext context, TaskRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return enforce.ExecuteAsync(input.TenantId, input.TaskId);
    }
}
