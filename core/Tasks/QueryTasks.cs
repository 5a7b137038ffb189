using Workforce.Core.Storage;

namespace Workforce.Core.Tasks;

/// <summary>Reads a tenant's tasks. Tasks of other tenants are indistinguishable from tasks that do not exist.</summary>
public sealed class QueryTasks(IWorkforceStore store)
{
    public async Task<Outcome<WorkTask>> GetAsync(Caller caller, Guid taskId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        return await store.FindTaskAsync(caller.TenantId, taskId, cancellationToken) is { } task
            ? task
            : Failure.NotFound($"Task {taskId}");
    }

    /// <summary>Every state the task went through, oldest first.</summary>
    public async Task<Outcome<IReadOnlyList<TaskTransition>>> HistoryAsync(Caller caller, Guid taskId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        var history = await store.GetTaskHistoryAsync(caller.TenantId, taskId, cancellationToken);
        return history.Count > 0 ? Outcome<IReadOnlyList<TaskTransition>>.Success(history) : Failure.NotFound($"Task {taskId}");
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
