using Workforce.Core.Tasks;

namespace Workforce.Orchestrations.TaskLifecycle;

/// <summary>A task, named across tenants.</summary>
public sealed record TaskRef(string TenantId, Guid TaskId);

/// <summary>
/// What the lifecycle workflow watches: the task, its time limits, how long to wait before looking again when
/// nothing can time out, and the task as last seen — read by the starter, then carried across ContinueAsNew.
/// </summary>
public sealed record TaskLifecycleInput(string TenantId, Guid TaskId, TaskTimeouts Timeouts, TimeSpan IdleRecheck, TaskSnapshot Known)
{
    public TaskRef Task => new(TenantId, TaskId);
}

/// <summary>The workflow's custom status: the task's state as the workflow last saw it.</summary>
public sealed record TaskLifecycleStatus(TaskState State, int Revision);

/// <summary>How the task ended, as the lifecycle workflow saw it.</summary>
public sealed record TaskLifecycleOutcome(TaskState State, string? Error);

/// <summary>
/// Lifecycle instance ids start with the tenant id, so a tenant's instances are found by prefix on every host.
/// </summary>
public static class TaskLifecycleInstance
{
    public static string Id(string tenantId, Guid taskId) => $"{TenantPrefix(tenantId)}task:{taskId:N}";

    public static string TenantPrefix(string tenantId) => $"{tenantId}:";
}
