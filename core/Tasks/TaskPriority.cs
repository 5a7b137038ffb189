namespace Workforce.Core.Tasks;

/// <summary>Strict scheduling priority: every pending critical task is leased before any high one, and so on.</summary>
public enum TaskPriority
{
    Low = 0,
    Medium = 1,
    High = 2,
    Critical = 3,
}

/// <summary>Priorities by name, as the API and stored analytics series spell them: <c>low</c> … <c>critical</c>.</summary>
public static class TaskPriorities
{
    public static IReadOnlyList<TaskPriority> All { get; } = Enum.GetValues<TaskPriority>();

    public static string Name(TaskPriority priority) => priority switch
    {
        TaskPriority.Low => "low",
        TaskPriority.Medium => "medium",
        TaskPriority.High => "high",
        TaskPriority.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(priority), priority, null),
    };

    public static TaskPriority? Parse(string? name) =>
        Enum.TryParse<TaskPriority>(name, ignoreCase: true, out var priority) && Enum.IsDefined(priority) && !int.TryParse(name, out _) ? priority : null;
}
