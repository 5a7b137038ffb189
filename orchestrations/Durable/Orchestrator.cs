namespace Workforce.Orchestrations.Durable;

/// <summary>A named orchestrator, as the engine runs it: input and output as JSON.</summary>
public interface IOrchestrator
{
    string Name { get; }

    Task<object?> RunAsync(OrchestrationContext context, object? input);

    Type InputType { get; }
}

/// <summary>Mirrors Microsoft.DurableTask.TaskOrchestrator&lt;TInput, TOutput&gt;.</summary>
public abstract class Orchestrator<TInput, TOutput> : IOrchestrator
{
    public abstract string Name { get; }

    public Type InputType => typeof(TInput);

    public abstract Task<TOutput> RunAsync(OrchestrationContext context, TInput input);

    async Task<object?> IOrchestrator.RunAsync(OrchestrationContext context, object? input) => await RunAsync(context, (TInput)input!);
}

/// <summary>Who is running an activity, for logging and idempotency keys.</summary>
public sealed record ActivityContext(string Name, string InstanceId);

/// <summary>A named activity, as the engine runs it.</summary>
public interface IActivity
{
    string Name { get; }

    Type InputType { get; }

    Task<object?> RunAsync(ActivityContext context, object? input);
}

/// <summary>
/// Mirrors Microsoft.DurableTask.TaskActivity&lt;TInput, TOutput&gt;. Activities may do I/O; they run at least once,
/// so they must be idempotent.
/// </summary>
public abstract class Activity<TInput, TOutput> : IActivity
{
    public abstract string Name { get; }

    public Type InputType => typeof(TInput);

    public abstract Task<TOutput> RunAsync(ActivityContext context, TInput input);

    async Task<object?> IActivity.RunAsync(ActivityContext context, object? input) => await RunAsync(context, (TInput)input!);
}
