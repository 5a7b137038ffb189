using System.Text.Json;

namespace Workforce.Agent;

/// <summary>What a handler knows about the task it works on.</summary>
public sealed class TaskContext
{
    internal TaskContext(AgentTask task, Guid agentId)
    {
        TaskId = task.Id;
        Type = task.Type;
        Priority = task.Priority;
        Attempt = task.Attempt;
        MaxRetries = task.MaxRetries;
        TimeoutSeconds = task.TimeoutSeconds;
        Deadline = task.Deadline;
        TraceContext = task.TraceContext;
        Payload = task.Payload;
        AgentId = agentId;
    }

    public Guid TaskId { get; }

    public string Type { get; }

    /// <summary>low, medium, high or critical.</summary>
    public string Priority { get; }

    /// <summary>1 on the first attempt; a retry after a failure is attempt 2, and so on.</summary>
    public int Attempt { get; }

    public int MaxRetries { get; }

    /// <summary>The attempt times out on the server this long after it started (the handler is then cancelled).</summary>
    public int TimeoutSeconds { get; }

    public DateTimeOffset? Deadline { get; }

    /// <summary>The submission's W3C traceparent, if it was traced; the SDK sends it with its start, complete and fail calls.</summary>
    public string? TraceContext { get; }

    /// <summary>The raw payload, for handlers that want more than the typed input.</summary>
    public JsonElement? Payload { get; }

    public Guid AgentId { get; }

    /// <summary>
    /// Why the handler's token was cancelled: "cancelled", "timedOut", "completed" or "removed" when the server took
    /// the task away (as the heartbeat says; "lost" when a poll of the held tasks noticed first), "shutdown" when the
    /// agent stopped before the handler finished. Null while the task is the agent's.
    /// </summary>
    public string? CancellationReason { get; internal set; }
}
