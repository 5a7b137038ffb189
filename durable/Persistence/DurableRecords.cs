using Workforce.Durable.History;
using Microsoft.DurableTask.Client;

namespace Workforce.Durable.Persistence;

/// <summary>
/// A message to an instance; those of an earlier execution (before ContinueAsNew) are ignored. Most are rows of
/// durable_inbox. An activity's outcome is not: it stays in memory until the episode that consumes it commits and,
/// in the same transaction, deletes the activity's work item (whose id it carries), so a crash before then runs the
/// activity again, as at-least-once allows, and an activity costs one commit less.
/// </summary>
internal sealed record InboxMessage(long Id, string InstanceId, string? ExecutionId, DateTime VisibleAt, HistoryEvent Event)
{
    public bool IsActivityOutcome { get; init; }
}

/// <summary>An activity waiting to run for an instance's execution.</summary>
internal sealed record ActivityWorkItem(long Id, string InstanceId, string ExecutionId, int TaskId, string Name, string? Input);

/// <summary>A pending or running instance, as loaded at start-up, with the W3C traceparent it was started in, if any.</summary>
internal sealed record ActiveInstance(string InstanceId, string Name, string ExecutionId, OrchestrationRuntimeStatus Status, string? CustomStatus, ParentInstance? Parent)
{
    public string? TraceParent { get; init; }
}

/// <summary>Everything one episode changes, committed in one transaction.</summary>
internal sealed record EpisodeCommit(
    ActiveInstance Instance,
    int HistoryLength,
    IReadOnlyList<HistoryEvent> NewHistory,
    IReadOnlyList<InboxMessage> ConsumedMessages,
    IReadOnlyList<IScheduledEvent> NewActions,
    OrchestrationRuntimeStatus Status,
    string? CustomStatus,
    string? Output,
    RecordedFailure? Failure,
    Runtime.ContinueAsNew? ContinuedAsNew,
    DateTime Now);

/// <summary>What an episode's commit created, for the engine to mirror in memory.</summary>
internal sealed record EpisodeCommitted(IReadOnlyList<InboxMessage> Messages, IReadOnlyList<ActivityWorkItem> Activities, string ExecutionId);
