using Workforce.Core.Tasks;

namespace Workforce.Core.Agents;

/// <summary>
/// A worker that leases tasks: an AI model, a script, a human-operated tool. It serves a task when it has every
/// capability the task requires and a free slot of its capacity.
/// </summary>
public sealed record Agent
{
    public const int MaxCapacity = 1000;

    public required Guid Id { get; init; }

    public required string TenantId { get; init; }

    public required string Name { get; init; }

    public AgentRole Role { get; init; } = AgentRole.Operational;

    /// <summary>Lower-case, distinct, sorted.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    public int Capacity { get; init; } = 1;

    public AgentStatus Status { get; init; } = AgentStatus.Online;

    public int ActiveTasks { get; init; }

    public DateTimeOffset? LastHeartbeatAt { get; init; }

    public AgentMetrics? Metrics { get; init; }

    /// <summary>A draining agent finishes the tasks it holds but leases no new ones, so it can be stopped or removed without failing work.</summary>
    public bool Draining { get; init; }

    public RawJson? Metadata { get; init; }

    public DateTimeOffset RegisteredAt { get; init; }

    public bool HasFreeSlot => !Draining && Status != AgentStatus.Offline && ActiveTasks < Capacity;

    public bool CanServe(WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!HasFreeSlot)
        {
            return false;
        }

        foreach (var capability in task.RequiredCapabilities)
        {
            if (!HasCapability(capability))
            {
                return false;
            }
        }

        return true;
    }

    public bool HasCapability(string capability) => Capabilities.Contains(capability, StringComparer.Ordinal);

    public Agent TaskAssigned() => WithActiveTasks(ActiveTasks + 1);

    public Agent TaskReleased() => WithActiveTasks(Math.Max(0, ActiveTasks - 1));

    public Agent Heartbeat(DateTimeOffset now, AgentMetrics? metrics = null) =>
        this with
        {
            LastHeartbeatAt = now,
            Metrics = metrics ?? Metrics,
            Status = StatusFor(ActiveTasks, online: true),
        };

    public Agent MarkOffline() => this with { Status = AgentStatus.Offline };

    public Agent Drain() => this with { Draining = true };

    public Agent Resume() => this with { Draining = false };

    private Agent WithActiveTasks(int activeTasks) =>
        this with { ActiveTasks = activeTasks, Status = StatusFor(activeTasks, online: Status != AgentStatus.Offline) };

    private AgentStatus StatusFor(int activeTasks, bool online) =>
        !online ? AgentStatus.Offline
        : activeTasks >= Capacity ? AgentStatus.Busy
        : AgentStatus.Online;
}
