using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

/// <summary>The tenant's own templates; events and channels without one use the catalogue's wording.</summary>
public sealed class QueryNotificationTemplates(IWorkforceStore store)
{
    public async Task<Outcome<IReadOnlyList<NotificationTemplate>>> ListAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAgent ? Failures.AgentKeyNotAllowed
            : Outcome<IReadOnlyList<NotificationTemplate>>.Success([.. (await store.ListNotificationTemplatesAsync(caller.TenantId, cancellationToken)).OrderBy(t => t.Event, StringComparer.Ordinal).ThenBy(t => t.Channel)]);
    }
}
