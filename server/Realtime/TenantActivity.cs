using Workforce.Core.Tasks;
using Workforce.Core.Usage;

namespace Workforce.Server.Realtime;

/// <summary>The changes of one watched tenant since its last batch, coalesced: each task and agent once.</summary>
internal sealed record ActivityBatch(IReadOnlyList<TaskTransition> Tasks, IReadOnlyList<Guid> Agents, int FinalFailures)
{
    public bool IsEmpty => Tasks.Count == 0 && Agents.Count == 0;
}

/// <summary>
/// What happened in one tenant: its completions and final failures over the last minute, always, and — while a
/// dashboard watches it — the tasks and agents that changed since the last batch. Observers call in from the
/// threads that committed; the broadcaster takes batches from its own, so every member takes the lock.
/// </summary>
internal sealed class TenantActivity(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, TaskTransition> _tasks = [];
    private readonly HashSet<Guid> _agents = [];
    private readonly List<QuotaNotice> _notices = [];
    private readonly PerMinuteCounter _completed = new(clock);
    private readonly PerMinuteCounter _failed = new(clock);
    private int _watchers;
    private int _finalFailures;
    private bool _statsDue;

    public bool IsWatched
    {
        get
        {
            lock (_gate)
            {
                return _watchers > 0;
            }
        }
    }

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
            if (--_watchers == 0)
            {
                _tasks.Clear();
                _agents.Clear();
                _finalFailures = 0;
            }
        }
    }

    public void Record(TaskTransition transition)
    {
        lock (_gate)
        {
            if (transition.To == TaskState.Completed)
            {
                _completed.Add();
            }
            else if (transition.To == TaskState.Failed)
            {
                _failed.Add();
            }

            if (_watchers == 0)
            {
                return;
            }

            _statsDue = true;
            if (transition.To == TaskState.Failed)
            {
                _finalFailures++;
            }

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

    public void RecordAgent(Guid agentId)
    {
        lock (_gate)
        {
            if (_watchers > 0)
            {
                _agents.Add(agentId);
            }
        }
    }

    /// <summary>
    /// Takes the changes since the last batch; the changed agents only when <paramref name="withAgents"/>, else they
    /// wait for a later batch. Over <paramref name="maxTasks"/> changed tasks, failures and retries are kept first,
    /// then the most recent; the others are dropped, their effect still visible in the queue stats.
    /// </summary>
    /// <summary>A quota warning for the dashboards, until the next tick.</summary>
    public void RecordNotice(QuotaNotice notice)
    {
        lock (_gate)
        {
            _notices.Add(notice);
        }
    }

    public IReadOnlyList<QuotaNotice> TakeNotices()
    {
        lock (_gate)
        {
            var notices = _notices.ToList();
            _notices.Clear();
            return notices;
        }
    }

    public ActivityBatch TakeBatch(int maxTasks, bool withAgents = true)
    {
        lock (_gate)
        {
            IReadOnlyList<TaskTransition> tasks = _tasks.Count <= maxTasks
                ? [.. _tasks.Values]
                : [.. _tasks.Values.OrderByDescending(IsFailure).ThenByDescending(t => t.At).Take(maxTasks)];
            IReadOnlyList<Guid> agents = withAgents ? [.. _agents] : [];
            var batch = new ActivityBatch(tasks, agents, _finalFailures);
            _tasks.Clear();
            if (withAgents)
            {
                _agents.Clear();
            }

            _finalFailures = 0;
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
            var due = _watchers > 0 && (_statsDue || _completed.Total() > 0 || _failed.Total() > 0);
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

    private static bool IsFailure(TaskTransition transition) => transition.To == TaskState.Failed || transition.Reason is not null;
}
