using Workforce.Api.Tasks;
using Workforce.Core.Agents;

namespace Workforce.Api.Agents;

/// <summary>The answer to a heartbeat that named the agent's tasks: those it no longer holds, which it should stop working on.</summary>
public sealed record HeartbeatResponse(IReadOnlyList<LostTaskResponse> CancelledTasks);

/// <param name="Reason">cancelled, timedOut (its time limits or its agent's silence took it back), completed (by the tenant) or removed.</param>
public sealed record LostTaskResponse(Guid Id, TaskLossReason Reason);

/// <summary>The tasks an agent holds (assigned or running), oldest first.</summary>
public sealed record HeldTasksResponse(IReadOnlyList<TaskResponse> Items);
