using System.Text.Json.Serialization;
using Workforce.Core;
using Workforce.Core.Agents;

namespace Workforce.Api.Agents;

public sealed record AgentResponse(
    Guid Id,
    string TenantId,
    string Name,
    AgentRole Role,
    IReadOnlyList<string> Capabilities,
    int Capacity,
    AgentStatus Status,
    int ActiveTasks,
    DateTimeOffset? LastHeartbeatAt,
    AgentMetricsResponse? Metrics,
    bool Draining,
    RawJson? Metadata,
    DateTimeOffset RegisteredAt)
{
    /// <summary>Only in the registration response: the key that lets the agent act as itself, shown this once.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AgentKey { get; init; }

    public static AgentResponse From(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new(agent.Id, agent.TenantId, agent.Name, agent.Role, agent.Capabilities, agent.Capacity, agent.Status,
            agent.ActiveTasks, agent.LastHeartbeatAt, AgentMetricsResponse.From(agent.Metrics), agent.Draining, agent.Metadata, agent.RegisteredAt);
    }
}

public sealed record AgentMetricsResponse(double CpuPercent, double MemoryMb, int ThreadCount, DateTimeOffset ReportedAt)
{
    public static AgentMetricsResponse? From(AgentMetrics? metrics) =>
        metrics is null ? null : new(metrics.CpuPercent, metrics.MemoryMb, metrics.ThreadCount, metrics.ReportedAt);
}
