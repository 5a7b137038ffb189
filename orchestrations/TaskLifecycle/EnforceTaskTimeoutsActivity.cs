using Microsoft.DurableTask;
using Workforce.Core.Tasks;

namespace Workforce.Orchestrations.TaskLifecycle;

/// <summary>Applies the task's time limits now; idempotent, so running it twice does no harm.</summary>
public sealed class EnforceTaskTimeoutsActivity(EnforceTaskTimeouts enforce) : TaskActivity<TaskRef, TaskSnapshot?>
{
    public override Task<TaskSnapshot?> RunAsync(TaskActivityContext context, TaskRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return enforce.ExecuteAsync(input.TenantId, input.TaskId);
    }
}
