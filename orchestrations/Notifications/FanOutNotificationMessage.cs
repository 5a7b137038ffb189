using System.Text.Json;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Orchestrations.Notifications;

/// <summary>
/// Handles a message of the notification queues, on both hosts: fans the raised event out. A body that is not an
/// event is dead-lettered; any other error propagates so the host abandons the message and it is retried.
/// </summary>
public sealed class FanOutNotificationMessage(FanOutNotification fanOut)
{
    public async Task<HandlingResult> HandleAsync(string body, CancellationToken cancellationToken = default)
    {
        NotificationEvent? notification;
        try
        {
            notification = StoredJson.Deserialize<NotificationEvent>(body);
        }
        catch (JsonException)
        {
            notification = null;
        }

        if (notification is not { Id.Length: > 0, Type.Length: > 0, TenantId.Length: > 0 })
        {
            return new HandlingResult(MessageSettlement.DeadLetter, "The body is not a notification event: {\"id\":…,\"type\":…,\"tenantId\":…}.");
        }

        await fanOut.ExecuteAsync(notification, cancellationToken);
        return HandlingResult.Completed;
    }
}
