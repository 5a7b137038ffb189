using System.Collections.Concurrent;
using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

/// <summary>
/// Whether any endpoint of a tenant asks for an opt-in event (task.completed, task.updated, task.deleted), so that
/// event is raised only then: raised for every task it would cost every completion (or edit) a queue message. Read
/// from the store and kept for
/// <see cref="Freshness"/>; forgotten at once on this server when the tenant's endpoints change, so another server
/// starts or stops raising it within that time.
/// </summary>
public sealed class NotificationInterest(IWorkforceStore store, TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (IReadOnlySet<string> Events, DateTimeOffset ReadAt)> _asked = new(StringComparer.Ordinal);

    public async ValueTask<bool> AsksForAsync(string tenantId, string eventType, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (!_asked.TryGetValue(tenantId, out var known) || now - known.ReadAt >= Freshness)
        {
            var endpoints = await store.ListNotificationEndpointsAsync(tenantId, cancellationToken);
            known = (endpoints.Where(e => e.IsEnabled).SelectMany(e => e.Events).Where(NotificationEndpoint.OptInEvents.Contains).ToHashSet(StringComparer.Ordinal), now);
            _asked[tenantId] = known;
        }

        return known.Events.Contains(eventType);
    }

    public void Forget(string tenantId) => _asked.TryRemove(tenantId, out _);
}
