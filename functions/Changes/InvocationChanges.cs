using Workforce.Core.Agents;
using Workforce.Core.Notifications;
using Workforce.Core.Tasks;

namespace Workforce.Functions.Changes;

/// <summary>
/// Files the task transitions and removals, agent changes and fanned-out notification events that the platform commits into the
/// log of the function invocation that committed them. The standalone server has long-running services that pick
/// changes up later (the lifecycle relay, the live-updates broadcaster); a serverless invocation must pass them on
/// itself before it ends, so it records what it commits. The log travels with the invocation's asynchronous flow:
/// the feeds publish on the thread that committed, inside the invocation's call to the use case.
/// </summary>
public sealed class InvocationChanges : ITaskObserver, IAgentObserver, INotificationObserver
{
    private static readonly AsyncLocal<ChangeLog?> Current = new();

    /// <summary>Starts a log of what the calling invocation commits from here on.</summary>
    public static ChangeLog Record() => Current.Value = new ChangeLog();

    public void OnCommitted(IReadOnlyList<TaskTransition> transitions) => Current.Value?.Add(transitions);

    public void OnRemoved(TaskRemoval removal) => Current.Value?.Add(removal);

    public void OnChanged(AgentChange change) => Current.Value?.Add(change);

    public void OnFannedOut(NotificationEvent notification) => Current.Value?.Add(notification);
}

/// <summary>What one invocation committed. Use cases may commit from parallel work, so every member locks.</summary>
public sealed class ChangeLog
{
    private readonly Lock _gate = new();
    private readonly List<TaskTransition> _transitions = [];
    private readonly List<TaskRemoval> _removals = [];
    private readonly HashSet<AgentChange> _agents = [];
    private readonly List<NotificationEvent> _notifications = [];

    public IReadOnlyList<TaskTransition> Transitions
    {
        get
        {
            lock (_gate)
            {
                return [.. _transitions];
            }
        }
    }

    /// <summary>The tasks whose records were deleted.</summary>
    public IReadOnlyList<TaskRemoval> Removals
    {
        get
        {
            lock (_gate)
            {
                return [.. _removals];
            }
        }
    }

    /// <summary>The agents that changed by themselves or through the tasks they took or gave up.</summary>
    public IReadOnlyCollection<AgentChange> Agents
    {
        get
        {
            lock (_gate)
            {
                var agents = new HashSet<AgentChange>(_agents);
                agents.UnionWith(_transitions.Where(t => t.ChangesAgentLoad).Select(t => new AgentChange(t.TenantId, t.AgentId!.Value)));
                return agents;
            }
        }
    }

    /// <summary>The events fanned out for the first time, in the order they were.</summary>
    public IReadOnlyList<NotificationEvent> Notifications
    {
        get
        {
            lock (_gate)
            {
                return [.. _notifications];
            }
        }
    }

    public void Add(IReadOnlyList<TaskTransition> transitions)
    {
        lock (_gate)
        {
            _transitions.AddRange(transitions);
        }
    }

    public void Add(TaskRemoval removal)
    {
        lock (_gate)
        {
            _removals.Add(removal);
        }
    }

    public void Add(AgentChange change)
    {
        lock (_gate)
        {
            _agents.Add(change);
        }
    }

    public void Add(NotificationEvent notification)
    {
        lock (_gate)
        {
            _notifications.Add(notification);
        }
    }
}
