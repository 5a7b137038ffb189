using System.Text.Json;

namespace Workforce.Agent;

/// <summary>A task as the server hands it to an agent (the fields the SDK reads).</summary>
internal sealed record AgentTask(
    Guid Id,
    string Type,
    string State,
    string Priority,
    JsonElement? Payload,
    int Attempt,
    int MaxRetries,
    int TimeoutSeconds,
    DateTimeOffset? Deadline,
    Guid? AssignedAgentId,
    string? TraceContext);
