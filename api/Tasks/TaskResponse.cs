using System.Text.Json.Serialization;
using Workforce.Core;
using Workforce.Core.Tasks;

namespace Workforce.Api.Tasks;

public sealed record TaskResponse(
    Guid Id,
    string TenantId,
    string Type,
    TaskPriority Priority,
    TaskState State,
    RawJson? Payload,
    IReadOnlyList<string> RequiredCapabilities,
    int Attempt,
    int MaxRetries,
    int TimeoutSeconds,
    DateTimeOffset? Deadline,
    Guid? AssignedAgentId,
    DateTimeOffset? NextAttemptAt,
    RawJson? Result,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    Guid? RetryOf)
{
    /// <summary>Only when one task is read: every state change, oldest first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TaskTransitionResponse>? History { get; init; }

    /// <summary>
    /// The submission's W3C <c>traceparent</c>: an agent sends it as the <c>traceparent</c> header of its start,
    /// complete and fail calls (and parents its own spans on it), so the whole task reads as one trace. Absent when the
    /// submission was not traced.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceContext { get; init; }

    public static TaskResponse From(WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.Id, task.TenantId, task.Type, task.Priority, task.State, task.Payload, task.RequiredCapabilities,
            task.Attempt, task.MaxRetries, task.TimeoutSeconds, task.Deadline, task.AssignedAgentId, task.NextAttemptAt,
            task.Result, task.Error, task.CreatedAt, task.UpdatedAt, task.CompletedAt, task.RetryOf)
        {
            TraceContext = task.TraceParent,
        };
    }
}

/// <summary>One step of a task's history: the state it left and entered, when, on which agent, and why.</summary>
public sealed record TaskTransitionResponse(int Revision, TaskState? From, TaskState To, DateTimeOffset At, Guid? AgentId, int Attempt, string? Reason)
{
    public static TaskTransitionResponse Of(TaskTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return new(transition.Revision, transition.From, transition.To, transition.At, transition.AgentId, transition.Attempt, transition.Reason);
    }
}
