using Workforce.Core.Notifications;
using Workforce.Core.Tasks;

namespace Workforce.Server.Realtime;

/// <summary>The changes of one watched tenant since its last batch, coalesced: each task and agent once, and the deleted tasks.</summary>
internal sealed record ActivityBatch(IReadOnlyList<TaskTransition> Tasks, IReadOnlyList<Guid> Agents, IReadOnlyList<TaskRemoval> Removed)
{
    public bool IsEmpty => Tasks.Count == 0 && Agents.Count == 0 && Removed.Count == 0;
}

/// <summary>When a server counts a tenant as watched: files its changes and sends them to the tenant's group.</summary>
internal enum WatchRule
{
    /// <summary>
    /// In-process hub (the default): while a dashboard is connected to this server. Nobody else could receive what
    /// it sends, so an unwatched tenant costs no store reads and no messages.
    /// </summary>
    LocalConnections,

    /// <summary>
    /// Shared hub (Azure SignalR Service): also for a minute after the tenant's last change on this server. A
    /// dashboard connects through one server but must see the changes that every server commits, and a server cannot
    /// know which tenants the others' connections watch; so each server sends the changes it commits, as the
    /// Functions app does, and the service drops what reaches a group without members.
    /// </summary>
    RecentActivity,
}

/// <summary>
/// What happened in one tenant: its completions and final failures over the last minute, always, and — while it is
/// watched (see <see cref="WatchRule"/>) — the tasks and agents that changed since the last batch. Observers call in
/// from the threads that committed; the broadcaster takes batches from its own, so every member takes the lock.
/// </summary>
internal sealed class TenantActivity(TimeProvider clock, WatchRule rule = WatchRule.LocalConnections)
{
    /// <summary>As long as the per-minute counters remember a change, so the last stats show the throughput fall to zero.</summary>
    public static readonly TimeSpan ActivityWindow = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, TaskTransition> _tasks = [];
    private readonly Dictionary<Guid, TaskRemoval> _removed = [];
    private readonly HashSet<Guid> _agents = [];
    private readonly List<NotificationEvent> _events = [];
    private readonly PerMinuteCounter _completed = new(clock);
    private readonly PerMinuteCounter _failed = new(clock);
    private int _watchers;
    private bool _statsDue;
    private DateTimeOffset _lastActivity = DateTimeOffset.MinValue;

    public bool IsWatched
    {
        get
        {
            lock (_gate)
            {
                return Watched;
            }
        }
    }

    /// <summary>Callers hold the lock.</summary>
    private bool Watched =>
        _watchers > 0 || (rule == WatchRule.RecentActivity && clock.GetUtcNow() - _lastActivity < ActivityWindow);

    public void Watch()
    {
        lock (_gate)
        {
            _watchers++;
            _statsDue = true;
        }
    }

    public void Unwatch()
    {
        lock (_gate)
        {
            if (--_watchers == 0 && !Watched)
            {
                _tasks.Clear();
                _removed.Clear();
                _agents.Clear();
                _events.Clear();
            }
        }
    }

    public void Record(TaskTransition transition)
    {
        lock (_gate)
        {
            _lastActivity = clock.GetUtcNow();
            if (transition.To == TaskState.Completed)
            {
                _completed.Add();
            }
            else if (transition.To == TaskState.Failed)
            {
                _failed.Add();
            }

            if (!Watched)
            {
                return;
            }

            _statsDue = true;
            // Notifications of one task may arrive out of commit order; the later revision wins.
            if (!_tasks.TryGetValue(transition.TaskId, out var seen) || seen.Revision < transition.Revision)
            {
                _tasks[transition.TaskId] = transition;
            }

            if (transition.ChangesAgentLoad)
            {
                _agents.Add(transition.AgentId!.Value);
            }
        }
    }

    /// <summary>A deleted task: its dashboards drop it, and the queue stats are due again since its counts changed.</summary>
    public void RecordRemoval(TaskRemoval removal)
    {
        lock (_gate)
        {
            _lastActivity = clock.GetUtcNow();
            if (!Watched)
            {
                return;
            }

            _statsDue = true;
            // Its transitions still waiting would find nothing to send.
            _tasks.Remove(removal.TaskId);
            _removed[removal.TaskId] = removal;
        }
    }

    public void RecordAgent(Guid agentId)
    {
        lock (_gate)
        {
            _lastActivity = clock.GetUtcNow();
            if (Watched)
            {
                _agents.Add(agentId);
            }
        }
    }

    /// <summary>An event of the catalogue for the dashboards, until the next tick; kept only while watched, since nobody would take it.</summary>
    public void RecordEvent(NotificationEvent notification)
    {
        lock (_gate)
        {
            _lastActivity = clock.GetUtcNow();
            if (Watched)
            {
                _events.Add(notification);
            }
        }
    }

    /// <summary>The events since the last take, oldest first.</summary>
    public IReadOnlyList<NotificationEvent> TakeEvents()
    {
        lock (_gate)
        {
            var events = _events.ToList();
            _events.Clear();
            return events;
        }
    }

    /// <summary>
    /// Takes the changes since the last batch; the changed agents only when <paramref name="withAgents"/>, else they
    /// wait for a later batch. Over <paramref name="maxTasks"/> changed tasks, failures and retries are kept first,
    /// then the most recent; the others are dropped, their effect still visible in the queue stats. Removals are not
    /// dropped, since a dashboard would show a deleted task for good: over <paramref name="maxTasks"/> of them, the
    /// rest wait for the next batches.
    /// </summary>
    public ActivityBatch TakeBatch(int maxTasks, bool withAgents = true)
    {
        lock (_gate)
        {
            IReadOnlyList<TaskTransition> tasks = _tasks.Count <= maxTasks
                ? [.. _tasks.Values]
                : [.. _tasks.Values.OrderByDescending(IsFailure).ThenByDescending(t => t.At).Take(maxTasks)];
            IReadOnlyList<Guid> agents = withAgents ? [.. _agents] : [];
            IReadOnlyList<TaskRemoval> removed = [.. _removed.Values.Take(maxTasks)];
            foreach (var removal in removed)
            {
                _removed.Remove(removal.TaskId);
            }

            var batch = new ActivityBatch(tasks, agents, removed);
            _tasks.Clear();
            if (withAgents)
            {
                _agents.Clear();
            }

            return batch;
        }
    }

    /// <summary>
    /// True once after anything moved the queue or a dashboard joined, and for as long as the last minute's
    /// throughput is not zero (it falls as time passes even when nothing happens).
    /// </summary>
    public bool TakeStatsDue()
    {
        lock (_gate)
        {
            var due = Watched && (_statsDue || _completed.Total() > 0 || _failed.Total() > 0);
            _statsDue = false;
            return due;
        }
    }

    public (int Completed, int Failed) PerMinute()
    {
        lock (_gate)
        {
            return (_completed.Total(), _failed.Total());
        }
    }

    /// <summary>A final failure, or a retry (back to pending with the attempt's error); not a pending task's edit, pending → pending with what changed.</summary>
    private static bool IsFailure(TaskTransition transition) =>
        transition.To == TaskState.Failed || (transition.Reason is not null && transition.From != transition.To);
}
