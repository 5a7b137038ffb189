using Workforce.Core.Storage;

namespace Workforce.Core.Tasks;

/// <summary>A task with every state change it went through.</summary>
public sealed record TaskDetails(WorkTask Task, IReadOnlyList<TaskTransition> History);

/// <summary>Reads a tenant's tasks. Tasks of other tenants are indistinguishable from tasks that do not exist.</summary>
public sealed class QueryTasks(IWorkforceStore store)
{
    public async Task<Outcome<TaskDetails>> GetAsync(Caller caller, Guid taskId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        return await store.FindTaskAsync(caller.TenantId, taskId, cancellationToken) is { } task
            ? new TaskDetails(task, await store.GetTaskHistoryAsync(caller.TenantId, taskId, cancellationToken))
            : Failure.NotFound($"Task {taskId}");
    }

    public async Task<Outcome<Page<WorkTask>>> ListAsync(Caller caller, TaskFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        if (Paging.Check(page) is { } invalid)
        {
            return invalid;
        }

        try
        {
            return await store.ListTasksAsync(caller.TenantId, filter, page, cancellationToken);
        }
        catch (InvalidCursorException)
        {
            return Paging.InvalidCursor;
        }
    }
}
