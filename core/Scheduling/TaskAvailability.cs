using System.Collections.Concurrent;
using Workforce.Core.Tasks;

namespace Workforce.Core.Scheduling;

/// <summary>
/// Wakes long-polling leases when a tenant's queue gains a task: it watches committed transitions into pending
/// (submissions, retries, releases). A lease takes <see cref="NextSignal"/> before it looks at the queue, so a
/// task arriving between the look and the wait still wakes it.
/// </summary>
public sealed class TaskAvailability : ITaskObserver
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

    public void OnCommitted(IReadOnlyList<TaskTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        foreach (var tenantId in transitions.Where(t => t.To == TaskState.Pending).Select(t => t.TenantId).Distinct())
        {
            Notify(tenantId);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
