namespace Workforce.Core.Queues;

/// <summary>
/// A named work queue with Service Bus semantics. The same definitions configure the embedded queues of the
/// standalone server and the Service Bus queues that infra/ provisions in Azure.
/// </summary>
public sealed record QueueDefinition(
    string Name,
    TimeSpan LockDuration,
    int MaxDeliveryCount,
    TimeSpan DefaultTimeToLive,
    bool DeadLetteringOnMessageExpiration);

/// <summary>
/// The queues of the platform: one per task priority, carrying submitted tasks to their lifecycle workflow, and two
/// carrying raised notification events to their fan-out, critical ones apart so they go first.
/// </summary>
public static class WorkQueues
{
    public const string TasksCritical = "tasks-critical";
    public const string TasksHigh = "tasks-high";
    public const string TasksMedium = "tasks-medium";
    public const string TasksLow = "tasks-low";
    public const string NotificationsCritical = "notifications-critical";
    public const string Notifications = "notifications";

    private static readonly TimeSpan LockDuration = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TimeToLive = TimeSpan.FromDays(14);

    /// <summary>Highest priority first: consumers drain them in this order.</summary>
    public static IReadOnlyList<QueueDefinition> Tasks { get; } =
    [
        new(TasksCritical, LockDuration, MaxDeliveryCount: 10, TimeToLive, DeadLetteringOnMessageExpiration: true),
        new(TasksHigh, LockDuration, MaxDeliveryCount: 10, TimeToLive, DeadLetteringOnMessageExpiration: true),
        new(TasksMedium, LockDuration, MaxDeliveryCount: 10, TimeToLive, DeadLetteringOnMessageExpiration: true),
        new(TasksLow, LockDuration, MaxDeliveryCount: 10, TimeToLive, DeadLetteringOnMessageExpiration: true),
    ];

    /// <summary>Critical first: consumers drain them in this order.</summary>
    public static IReadOnlyList<QueueDefinition> NotificationEvents { get; } =
    [
        new(NotificationsCritical, LockDuration, MaxDeliveryCount: 10, TimeToLive, DeadLetteringOnMessageExpiration: true),
        new(Notifications, LockDuration, MaxDeliveryCount: 10, TimeToLive, DeadLetteringOnMessageExpiration: true),
    ];

    public static IReadOnlyList<QueueDefinition> All { get; } = [.. Tasks, .. NotificationEvents];

    public static string ForPriority(Core.Tasks.TaskPriority priority) => priority switch
    {
        Core.Tasks.TaskPriority.Critical => TasksCritical,
        Core.Tasks.TaskPriority.High => TasksHigh,
        Core.Tasks.TaskPriority.Medium => TasksMedium,
        _ => TasksLow,
    };

    public static string ForNotification(Core.Notifications.NotificationLevel level) =>
        level == Core.Notifications.NotificationLevel.Critical ? NotificationsCritical : Notifications;

    public static QueueDefinition Definition(string name) =>
        All.FirstOrDefault(q => q.Name == name) ?? throw new ArgumentException($"There is no queue named {name}.", nameof(name));
}
