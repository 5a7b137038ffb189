namespace Workforce.Orchestrations.Durable;

/// <summary>What went wrong in a failed activity, sub-orchestration or orchestration.</summary>
public sealed record FailureDetails(string ErrorType, string ErrorMessage);

/// <summary>
/// An activity or sub-orchestration failed; mirrors Microsoft.DurableTask.TaskFailedException. The original
/// exception does not cross the durable boundary, only its <see cref="FailureDetails"/>.
/// </summary>
public sealed class TaskFailedException(string taskName, int taskId, FailureDetails failureDetails)
    : Exception($"Task '{taskName}' (#{taskId}) failed with an unhandled exception: {failureDetails?.ErrorMessage}")
{
    public string TaskName { get; } = taskName;

    public int TaskId { get; } = taskId;

    public FailureDetails FailureDetails { get; } = failureDetails ?? throw new ArgumentNullException(nameof(failureDetails));
}
