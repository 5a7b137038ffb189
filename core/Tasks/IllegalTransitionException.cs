namespace Workforce.Core.Tasks;

/// <summary>Thrown by <see cref="WorkTask"/> when asked to move to a state its current state does not allow.</summary>
public sealed class IllegalTransitionException(Guid taskId, TaskState from, TaskState to)
    : InvalidOperationException($"Task {taskId} is {from.ToString().ToLowerInvariant()}; it cannot become {to.ToString().ToLowerInvariant()}.")
{
    public TaskState From { get; } = from;

    public TaskState To { get; } = to;
}
