namespace Workforce.Core.Tasks;

/// <summary>Strict scheduling priority: every pending critical task is leased before any high one, and so on.</summary>
public enum TaskPriority
{
    Low = 0,
    Medium = 1,
    High = 2,
    Critical = 3,
}
