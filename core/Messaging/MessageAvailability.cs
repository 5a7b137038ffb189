using System.Collections.Concurrent;

namespace Workforce.Core.Messaging;

/// <summary>
/// Wakes an agent's long-polling receive when a message to it is sent on this instance. A receive takes
/// <see cref="NextSignal"/> before it looks at the inbox, so a message sent between the look and the wait still wakes it.
/// </summary>
public sealed class MessageAvailability
{
    private readonly ConcurrentDictionary<(string TenantId, Guid AgentId), TaskCompletionSource> _signals = new();

    /// <summary>A task that completes at the next <see cref="Notify"/> for the agent.</summary>
    public Task NextSignal(string tenantId, Guid agentId) =>
        _signals.GetOrAdd((tenantId, agentId), static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Notify(string tenantId, Guid agentId)
    {
        if (_signals.TryRemove((tenantId, agentId), out var signal))
        {
            signal.TrySetResult();
        }
    }
}
