using System.Collections.Concurrent;

namespace Workforce.Core.Scheduling;

/// <summary>
/// Wakes long-polling leases when a tenant's queue gains a task. A lease takes <see cref="NextSignal"/> before it
/// looks at the queue, so a task submitted between the look and the wait still wakes it.
/// </summary>
public sealed class TaskAvailability
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next <see cref="Notify"/> for the tenant.</summary>
    public Task NextSignal(string tenantId) =>
        _signals.GetOrAdd(tenantId, static _ => NewSignal()).Task;

    public void Notify(string tenantId)
    {
        if (_signals.TryRemove(tenantId, out var signal))
        {
            signal.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
