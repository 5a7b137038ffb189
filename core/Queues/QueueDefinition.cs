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

/// <summary>The queues of the platform: one per task priority, carrying submitted tasks to their lifecycle workflow.</summary>
public static class WorkQueues
{
    public const string TasksCritical = "tasks-critical";
    public const string TasksHigh = "tasks-high";
    public const string TasksMedium = "tasks-medium";
    public const string TasksLow = "tasks-low";

    private static readonly TimeSpan LockDuration = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TimeToLive = TimeSpan.FromDays(14);

    /// <summary>Highest priority first: consumers drain them in this order.</summary>
    public static IReadOnlyList<QueueDefinition> All { get; } =
    [
        new(TasksCritical, LockDuration, MaxDeliveryCount: 10, TimeToLive, DeadLetteringOnMessageExpiration: true),
        new(TasksHigh, LockDuration, MaxDeliveryCount: 10, TimeToLive, DeadLetteringOnMessageExpiration: true),
        new(TasksMedium, LockDuration, MaxDeliveryCount: 10, TimeToLive, DeadLetteringOnMessageExpiration: true),
        new(TasksLow, LockDuration, MaxDeliveryCount: 10, TimeToLive, DeadLetteringOnMessageExpiration: true),
    ];

    public static string ForPriority(Tasks.TaskPriority priority) => priority switch
    {
        Tasks.TaskPriority.Critical => TasksCritical,
        Tasks.TaskPriority.High => TasksHigh,
        Tasks.TaskPriority.Medium => TasksMedium,
        _ => TasksLow,
    };

    public static QueueDefinition Definition(string name) =>
        All.FirstOrDefault(q => q.Name == name) ?? throw new ArgumentException($"There is no queue named {name}.", nameof(name));
}
