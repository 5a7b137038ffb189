using Workforce.Core.Queues;
using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

/// <summary>
/// Raising an event is sending it, in the transaction of the change that caused it, to a notification queue: it is
/// there if and only if the change committed, and the delivery worker fans it out from there. Critical events have
/// their own queue, drained first.
/// </summary>
public static class NotificationOutbox
{
    public static void Raise(this ITenantTransaction transaction, NotificationEvent notification)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(notification);
        transaction.Send(new QueueMessage(WorkQueues.ForNotification(notification.Level), StoredJson.Serialize(notification))
        {
            MessageId = notification.Id,
            TenantId = notification.TenantId,
        });
    }
}
