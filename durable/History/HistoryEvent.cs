using System.Text.Json.Serialization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Workforce.Durable.History;

/// <summary>
/// One entry of an orchestration's event-sourced history, or a message waiting in its inbox (a message becomes
/// history when an episode consumes it). An orchestrator's state is whatever replaying its history produces.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(ExecutionStarted), "executionStarted")]
[JsonDerivedType(typeof(OrchestratorStarted), "orchestratorStarted")]
[JsonDerivedType(typeof(TaskScheduled), "taskScheduled")]
[JsonDerivedType(typeof(TaskCompleted), "taskCompleted")]
[JsonDerivedType(typeof(TaskFailed), "taskFailed")]
[JsonDerivedType(typeof(TimerCreated), "timerCreated")]
[JsonDerivedType(typeof(TimerFired), "timerFired")]
[JsonDerivedType(typeof(EventRaised), "eventRaised")]
[JsonDerivedType(typeof(EventSent), "eventSent")]
[JsonDerivedType(typeof(SubOrchestrationCreated), "subOrchestrationCreated")]
[JsonDerivedType(typeof(SubOrchestrationCompleted), "subOrchestrationCompleted")]
[JsonDerivedType(typeof(SubOrchestrationFailed), "subOrchestrationFailed")]
[JsonDerivedType(typeof(ExecutionTerminated), "executionTerminated")]
[JsonDerivedType(typeof(ExecutionCompleted), "executionCompleted")]
internal abstract record HistoryEvent(DateTime Timestamp);

/// <summary>
/// The parent of a sub-orchestration, and the task id under which it waits for the result. Instances started before
/// the parent's name was recorded have none.
/// </summary>
internal sealed record ParentInstance(string InstanceId, string ExecutionId, int TaskId, string? Name = null);

/// <summary>
/// Why an activity, sub-orchestration or orchestration failed, as history keeps it; the same JSON as the
/// <see cref="TaskFailureDetails"/> it stands for, without the stack trace.
/// </summary>
internal sealed record RecordedFailure(string ErrorType, string ErrorMessage)
{
    public static RecordedFailure Of(Exception exception) => new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message);

    public TaskFailureDetails ToTaskFailureDetails() => new(ErrorType, ErrorMessage, null, null, null);
}

internal sealed record ExecutionStarted(DateTime Timestamp, string Name, string? Input, ParentInstance? Parent) : HistoryEvent(Timestamp);

/// <summary>Opens an episode; its timestamp is the orchestration's CurrentUtcDateTime from there on.</summary>
internal sealed record OrchestratorStarted(DateTime Timestamp) : HistoryEvent(Timestamp);

/// <summary>Marks an event that an orchestrator action put into history, under the action's task id.</summary>
internal interface IScheduledEvent
{
    int TaskId { get; }

    /// <summary>What a replay must take again under the same id: the kind of step and, for calls, the name.</summary>
    string Step { get; }
}

/// <summary>Marks an event that completes the action with <see cref="TaskScheduledId"/>.</summary>
internal interface ICompletionEvent
{
    int TaskScheduledId { get; }
}

internal sealed record TaskScheduled(DateTime Timestamp, int TaskId, string Name, string? Input) : HistoryEvent(Timestamp), IScheduledEvent
{
    public string Step => $"activity '{Name}'";
}

internal sealed record TaskCompleted(DateTime Timestamp, int TaskScheduledId, string? Result) : HistoryEvent(Timestamp), ICompletionEvent;

internal sealed record TaskFailed(DateTime Timestamp, int TaskScheduledId, RecordedFailure Failure) : HistoryEvent(Timestamp), ICompletionEvent;

internal sealed record TimerCreated(DateTime Timestamp, int TaskId, DateTime FireAt) : HistoryEvent(Timestamp), IScheduledEvent
{
    public string Step => "a durable timer";
}

internal sealed record TimerFired(DateTime Timestamp, int TaskScheduledId, DateTime FireAt) : HistoryEvent(Timestamp), ICompletionEvent;

internal sealed record EventRaised(DateTime Timestamp, string Name, string? Input) : HistoryEvent(Timestamp);

/// <summary>An event the orchestrator sent to another instance; delivered when the episode commits.</summary>
internal sealed record EventSent(DateTime Timestamp, int TaskId, string InstanceId, string Name, string? Input) : HistoryEvent(Timestamp), IScheduledEvent
{
    public string Step => $"sending event '{Name}' to {InstanceId}";
}

internal sealed record SubOrchestrationCreated(DateTime Timestamp, int TaskId, string Name, string InstanceId, string? Input) : HistoryEvent(Timestamp), IScheduledEvent
{
    public string Step => $"sub-orchestration '{Name}'";
}

internal sealed record SubOrchestrationCompleted(DateTime Timestamp, int TaskScheduledId, string? Result) : HistoryEvent(Timestamp), ICompletionEvent;

internal sealed record SubOrchestrationFailed(DateTime Timestamp, int TaskScheduledId, RecordedFailure Failure) : HistoryEvent(Timestamp), ICompletionEvent;

internal sealed record ExecutionTerminated(DateTime Timestamp, string? Output) : HistoryEvent(Timestamp);

internal sealed record ExecutionCompleted(DateTime Timestamp, OrchestrationRuntimeStatus Status, string? Output, RecordedFailure? Failure) : HistoryEvent(Timestamp);
