using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

/// <summary>The tenant's notification endpoints. Secrets are never shown again after creation and rotation.</summary>
public sealed class QueryNotificationEndpoints(IWorkforceStore store)
{
    public async Task<Outcome<IReadOnlyList<NotificationEndpoint>>> ListAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAgent ? Failures.AgentKeyNotAllowed : Outcome<IReadOnlyList<NotificationEndpoint>>.Success(await store.ListNotificationEndpointsAsync(caller.TenantId, cancellationToken));
    }

    public async Task<Outcome<NotificationEndpoint>> GetAsync(Caller caller, string endpointId, CancellationToken cancellationToken = default)
    {
        var listed = await ListAsync(caller, cancellationToken);
        return listed.Value is not { } endpoints ? listed.Failure!
            : endpoints.FirstOrDefault(e => e.Id == endpointId) is { } endpoint ? endpoint
            : Failure.NotFound($"Notification endpoint {endpointId}");
    }
}
