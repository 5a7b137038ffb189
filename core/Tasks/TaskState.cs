namespace Workforce.Core.Tasks;

public enum TaskState
{
    Pending = 0,
    Assigned = 1,
    Running = 2,
    Completed = 3,
    Failed = 4,
    Cancelled = 5,
}

public static class TaskStates
{
    public static bool IsTerminal(this TaskState state) =>
        state is TaskState.Completed or TaskState.Failed or TaskState.Cancelled;

    /// <summary>Assigned and running tasks occupy one unit of their agent's capacity.</summary>
    public static bool HoldsAgent(this TaskState state) => state is TaskState.Assigned or TaskState.Running;
}
