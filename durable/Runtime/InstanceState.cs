using Workforce.Durable.History;
using Workforce.Durable.Persistence;

namespace Workforce.Durable.Runtime;

/// <summary>
/// The in-memory mirror of a pending or running instance: its row, its history (loaded on first use; known to be
/// empty for an instance created since start-up) and its unconsumed messages. The database is the truth; this copy
/// is rebuilt from it at start-up and updated only after each commit. At most one episode of an instance runs at a
/// time.
/// </summary>
internal sealed class InstanceState(ActiveInstance row)
{
    public ActiveInstance Row { get; set; } = row;

    public List<HistoryEvent>? History { get; set; }

    public List<InboxMessage> Inbox { get; } = [];

    /// <summary>In the ready queue.</summary>
    public bool Queued { get; set; }

    /// <summary>An episode is running.</summary>
    public bool Running { get; set; }

    /// <summary>Work arrived while an episode was running; run again when it ends.</summary>
    public bool Dirty { get; set; }

    /// <summary>
    /// Whether an episode would consume something: a visible message, once the instance has started (events raised
    /// before a delayed start wait for it).
    /// </summary>
    public bool HasWork(DateTime now) =>
        Inbox.Exists(m => m.VisibleAt <= now) && (History is { Count: > 0 } || Inbox.Exists(m => m.VisibleAt <= now && m.Event is ExecutionStarted));
}
