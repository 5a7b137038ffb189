using Microsoft.Extensions.Logging;

namespace Workforce.Orchestrations.Durable;

/// <summary>
/// What an orchestrator may do: call activities and sub-orchestrators, wait on durable timers and external events,
/// restart itself, and read replay-safe time and GUIDs. Mirrors Microsoft.DurableTask.TaskOrchestrationContext
/// member for member, so the Azure host wraps that class in a few lines and the workflows run unchanged.
/// </summary>
/// <remarks>
/// Orchestrator code is replayed from its history: it must be deterministic. No I/O, no DateTime.UtcNow, no
/// Guid.NewGuid, no Task.Delay or Task.Run — only what this context offers.
/// </remarks>
public abstract class OrchestrationContext
{
    public abstract string Name { get; }

    public abstract string InstanceId { get; }

    /// <summary>The orchestration's current time, stored in its history: the same value on every replay.</summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    /// <summary>True while the orchestrator re-runs history it has already recorded.</summary>
    public abstract bool IsReplaying { get; }

    public abstract T? GetInput<T>();

    public virtual Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null) =>
        CallActivityAsync<object>(name, input, options);

    /// <summary>Runs an activity: at least once, and its result is recorded so a replay does not run it again.</summary>
    /// <exception cref="TaskFailedException">The activity failed (after its retries, if any).</exception>
    public abstract Task<T> CallActivityAsync<T>(string name, object? input = null, TaskOptions? options = null);

    /// <exception cref="TaskFailedException">The sub-orchestration failed.</exception>
    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, string? instanceId = null, object? input = null, TaskOptions? options = null);

    public virtual Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken) =>
        CreateTimer(CurrentUtcDateTime.Add(delay), cancellationToken);

    /// <summary>A durable timer: it survives restarts. Cancel it through the token when it is no longer needed.</summary>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for the next event of that name (case-insensitive). An event that arrives while nobody waits is kept
    /// until somebody does; each event completes exactly one wait.
    /// </summary>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>Waits for an event, up to a durable timeout.</summary>
    /// <exception cref="TaskCanceledException">The timeout passed first.</exception>
    /// <remarks>Cancels synchronously: orchestrator code must stay on the orchestrator's thread.</remarks>
    public async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout)
    {
        using var timerCancellation = new CancellationTokenSource();
        var timeoutTask = CreateTimer(timeout, timerCancellation.Token);
        using var eventCancellation = new CancellationTokenSource();
        var eventTask = WaitForExternalEvent<T>(eventName, eventCancellation.Token);
        if (await Task.WhenAny(timeoutTask, eventTask) == eventTask)
        {
            timerCancellation.Cancel();
        }
        else
        {
            eventCancellation.Cancel();
        }

        return await eventTask;
    }

    /// <summary>A small JSON-serializable value shown by the status query APIs.</summary>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>
    /// Restarts the orchestration with a new input and an empty history once the orchestrator returns. Events that
    /// arrived but were not yet consumed are carried over when <paramref name="preserveUnprocessedEvents"/> is true.
    /// </summary>
    public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);

    /// <summary>A GUID that is the same on every replay (name-based, from the instance id, time and a counter).</summary>
    public abstract Guid NewGuid();

    /// <summary>A logger that stays silent while the orchestrator replays, so each message is written once.</summary>
    public ILogger CreateReplaySafeLogger(ILogger logger) => new ReplaySafeLogger(this, logger);

    private sealed class ReplaySafeLogger(OrchestrationContext context, ILogger logger) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => logger.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => !context.IsReplaying && logger.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!context.IsReplaying)
            {
                logger.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
