using Workforce.Core.Notifications;

namespace Workforce.Notifications.Tests.Email;

/// <summary>Sends of a task.failed event to an email endpoint, rendered as the core renders them.</summary>
internal static class EmailSends
{
    public static readonly DateTimeOffset At = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>An address no other test sends to.</summary>
    public static string NewRecipient() => $"ops-{Guid.NewGuid():N}@tenant.example";

    public static NotificationSend TaskFailed(string target, string error = "exit code 3", string? eventId = null, string? endpointId = null)
    {
        var notification = new NotificationEvent(eventId ?? NotificationEvent.NewId(), NotificationEvents.TaskFailed, NotificationLevel.Critical, "tenant-1", At,
            new Dictionary<string, object?>
            {
                ["taskId"] = "6f1c2a9e-0000-4000-8000-000000000001",
                ["taskType"] = "render-report",
                ["priority"] = "high",
                ["attempt"] = 3,
                ["error"] = error,
            })
        { Sequence = 7 };
        var endpoint = new NotificationEndpoint
        {
            Id = endpointId ?? NotificationEndpoint.NewId(),
            TenantId = "tenant-1",
            Channel = NotificationChannel.Email,
            Target = target,
            CreatedAt = At,
            UpdatedAt = At,
        };
        return new(endpoint, notification, NotificationMessage.Render(notification, NotificationChannel.Email, custom: null), At);
    }
}
