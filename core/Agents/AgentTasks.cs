using Workforce.Core.Storage;
using Workforce.Core.Tasks;

namespace Workforce.Core.Agents;

/// <summary>Why a task an agent believed it held is no longer its to work on.</summary>
public enum TaskLossReason
{
    /// <summary>The tenant cancelled it.</summary>
    Cancelled = 0,

    /// <summary>The platform took it back: its attempt, assignment or deadline timed out, or the agent was taken offline and the task released.</summary>
    TimedOut = 1,

    /// <summary>Someone else (the tenant) completed it.</summary>
    Completed = 2,

    /// <summary>The task no longer exists.</summary>
    Removed = 3,
}

/// <summary>A task the agent named as its own that it no longer holds, and why.</summary>
public sealed record LostTask(Guid Id, TaskLossReason Reason);

/// <summary>
/// What an agent needs to know about its own tasks: which it holds (so an agent that lost a response in a crash
/// or a reconnect finds its work again), and which of the tasks it is working on were taken from it (so it cancels
/// their handlers instead of finishing work nobody wants). The tenant key or the agent's own key may ask.
/// </summary>
public sealed class AgentTasks(IWorkforceStore store)
{
    /// <summary>At most this many task ids are checked per request; an agent holds no more than its capacity.</summary>
    public const int MaxChecked = 1_000;

    /// <summary>The tasks the agent holds (assigned or running), oldest first.</summary>
    public async Task<Outcome<IReadOnlyList<WorkTask>>> HeldAsync(Caller caller, Guid agentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.MayActAs(agentId))
        {
            return Failures.NotYourAgent;
        }

        if (await store.FindAgentAsync(caller.TenantId, agentId, cancellationToken) is null)
        {
            return Failure.NotFound($"Agent {agentId}");
        }

        var held = new List<WorkTask>();
        foreach (var state in (TaskState[])[TaskState.Assigned, TaskState.Running])
        {
            string? cursor = null;
            do
            {
                var page = await store.ListTasksAsync(caller.TenantId, new TaskFilter(state, AgentId: agentId), new PageRequest(PageRequest.MaxLimit, cursor), cancellationToken);
                held.AddRange(page.Items.Where(task => task.AssignedAgentId == agentId && task.State.HoldsAgent()));
                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }

        return Outcome<IReadOnlyList<WorkTask>>.Success([.. held.DistinctBy(task => task.Id).OrderBy(task => task.CreatedAt)]);
    }

    /// <summary>Of the tasks the agent says it works on, those it no longer holds, with the reason.</summary>
    public async Task<IReadOnlyList<LostTask>> LostAsync(Caller caller, Guid agentId, IEnumerable<Guid> working, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(working);
        var lost = new List<LostTask>();
        foreach (var id in working.Distinct().Take(MaxChecked))
        {
            var task = await store.FindTaskAsync(caller.TenantId, id, cancellationToken);
            if (task is { AssignedAgentId: { } holder } && holder == agentId && task.State.HoldsAgent())
            {
                continue;
            }

            lost.Add(new LostTask(id, task?.State switch
            {
                null => TaskLossReason.Removed,
                TaskState.Cancelled => TaskLossReason.Cancelled,
                TaskState.Completed => TaskLossReason.Completed,
                _ => TaskLossReason.TimedOut,
            }));
        }

        return lost;
    }
}
