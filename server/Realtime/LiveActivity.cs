using System.Collections.Concurrent;
using Workforce.Core.Agents;
using Workforce.Core.Notifications;
using Workforce.Core.Tasks;

namespace Workforce.Server.Realtime;

/// <summary>
/// Collects committed task transitions and removals, agent changes and fanned-out notification events per tenant for the <see cref="RealtimeBroadcaster"/>.
/// It only files them: it must return at once, because it runs on the request that committed.
/// </summary>
internal sealed class LiveActivity(TimeProvider clock, WatchRule rule = WatchRule.LocalConnections) : ITaskObserver, IAgentObserver, INotificationObserver
{
    private readonly ConcurrentDictionary<string, TenantActivity> _tenants = new(StringComparer.Ordinal);

    public WatchRule Rule => rule;

    public TenantActivity Of(string tenantId) =>
        _tenants.GetOrAdd(tenantId, static (_, state) => new TenantActivity(state.clock, state.rule), (clock, rule));

    /// <summary>The tenants whose changes go out: see <see cref="WatchRule"/>.</summary>
    public IEnumerable<(string TenantId, TenantActivity Activity)> Watched() =>
        _tenants.Where(tenant => tenant.Value.IsWatched).Select(tenant => (tenant.Key, tenant.Value));

    public void OnCommitted(IReadOnlyList<TaskTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        (string TenantId, TenantActivity Activity)? current = null;
        foreach (var transition in transitions)
        {
            // The transitions of one commit are one tenant's, so this looks the tenant up once per commit.
            if (current?.TenantId != transition.TenantId)
            {
                current = (transition.TenantId, Of(transition.TenantId));
            }

            current.Value.Activity.Record(transition);
        }
    }

    public void OnRemoved(TaskRemoval removal)
    {
        ArgumentNullException.ThrowIfNull(removal);
        Of(removal.TenantId).RecordRemoval(removal);
    }

    public void OnChanged(AgentChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Of(change.TenantId).RecordAgent(change.AgentId);
    }

    /// <summary>Kept only for watched tenants: nobody would take the others.</summary>
    public void OnFannedOut(NotificationEvent notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        // In-process, a tenant nobody ever connected to has no entry and needs none.
        var activity = rule == WatchRule.RecentActivity ? Of(notification.TenantId) : _tenants.GetValueOrDefault(notification.TenantId);
        activity?.RecordEvent(notification);
    }
}
