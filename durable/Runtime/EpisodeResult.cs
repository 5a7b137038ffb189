using Workforce.Durable.History;
using Microsoft.DurableTask.Client;

namespace Workforce.Durable.Runtime;

/// <summary>
/// What one episode of an orchestrator produced: the events to append to its history, the new actions to carry
/// out (activities, timers, sub-orchestrations), and where the instance now stands.
/// </summary>
internal sealed record EpisodeResult(
    IReadOnlyList<HistoryEvent> NewHistory,
    IReadOnlyList<IScheduledEvent> NewActions,
    OrchestrationRuntimeStatus Status,
    string? CustomStatus)
{
    public string? Output { get; init; }

    public RecordedFailure? Failure { get; init; }

    /// <summary>Set when the orchestrator called ContinueAsNew: the next execution's input and the events it inherits.</summary>
    public ContinueAsNew? ContinuedAsNew { get; init; }
}

internal sealed record ContinueAsNew(string? Input, IReadOnlyList<EventRaised> CarriedEvents);
