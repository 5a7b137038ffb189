using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Workforce.Durable.History;
using Workforce.Orchestrations.Durable;

namespace Workforce.Durable.Runtime;

/// <summary>
/// Runs one episode of an orchestrator: starts it, replays its recorded history (completing each awaited task with
/// its recorded result, so the code reaches the same point it reached before), then feeds it the new messages and
/// collects the actions it takes. The orchestrator runs synchronously on this thread: every task it awaits is one
/// this context completes while applying events.
/// </summary>
/// <remarks>
/// Determinism is checked as history is replayed: each action recorded in history must be taken again, with the
/// same id, kind and name. A mismatch fails the instance with a NonDeterministicOrchestrationException instead of
/// letting a changed orchestrator corrupt it.
/// </remarks>
internal sealed class OrchestrationRunner : OrchestrationContext
{
    public const string NonDeterministicErrorType = "NonDeterministicOrchestrationException";

    private const string DeterminismAdvice =
        "Orchestrator code must be deterministic; to change an orchestration, version it instead of editing it while instances run.";

    /// <summary>The namespace Durable Task uses for its name-based replay-safe GUIDs.</summary>
    private static readonly Guid GuidNamespace = new("9e952958-5e33-4daf-827f-2fa12937b875");

    private readonly IOrchestrator _orchestrator;
    private readonly IReadOnlyList<HistoryEvent> _past;
    private readonly IReadOnlyList<HistoryEvent> _incoming;
    private readonly DateTime _now;
    private readonly Dictionary<int, IScheduledEvent> _recorded;
    private readonly Dictionary<int, OpenAction> _open = [];
    private readonly HashSet<int> _taken = [];
    private readonly List<IScheduledEvent> _newActions = [];
    private readonly List<(string Name, TaskCompletionSource<string?> Waiter)> _waiters = [];
    private readonly List<EventRaised> _unclaimed = [];
    private int _nextTaskId;
    private int _guidCounter;
    private DateTime _currentUtc;
    private bool _isReplaying;
    private string? _input;
    private string? _customStatus;
    private ContinueAsNewRequest? _continueAsNew;
    private string? _nonDeterminism;

    public OrchestrationRunner(IOrchestrator orchestrator, string instanceId, IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> incoming, DateTime now, string? customStatus)
    {
        _orchestrator = orchestrator;
        InstanceId = instanceId;
        _past = past;
        _incoming = incoming;
        _now = now;
        _customStatus = customStatus;
        _recorded = past.OfType<IScheduledEvent>().ToDictionary(e => e.TaskId);
    }

    public override string Name => _orchestrator.Name;

    public override string InstanceId { get; }

    public override DateTime CurrentUtcDateTime => _currentUtc;

    public override bool IsReplaying => _isReplaying;

    public EpisodeResult Run()
    {
        Task<object?>? execution = null;
        var episodeStart = new OrchestratorStarted(_now);
        foreach (var (historyEvent, replaying) in _past.Select(e => (e, true)).Append((episodeStart, false)).Concat(_incoming.Select(e => (e, false))))
        {
            _isReplaying = replaying;
            execution = Apply(historyEvent) ?? execution;
            if (_nonDeterminism is not null)
            {
                return Finished(episodeStart, OrchestrationRuntimeStatus.Failed, failure: new FailureDetails(NonDeterministicErrorType, _nonDeterminism));
            }
        }

        if (execution is null)
        {
            throw new InvalidOperationException($"Instance {InstanceId} has no ExecutionStarted event.");
        }

        if (!execution.IsCompleted)
        {
            return new EpisodeResult([episodeStart, .. _incoming, .. _newActions.Cast<HistoryEvent>()], _newActions, OrchestrationRuntimeStatus.Running, _customStatus);
        }

        if (!execution.IsCompletedSuccessfully)
        {
            var error = execution.Exception?.InnerException ?? new TaskCanceledException("The orchestrator was cancelled.");
            return Finished(episodeStart, OrchestrationRuntimeStatus.Failed, failure: new FailureDetails(error.GetType().FullName ?? error.GetType().Name, error.Message));
        }

        if (_continueAsNew is { } next)
        {
            var carried = next.PreserveUnprocessedEvents ? _unclaimed : [];
            return Finished(episodeStart, OrchestrationRuntimeStatus.ContinuedAsNew, next.Input) with { ContinuedAsNew = new ContinueAsNew(next.Input, [.. carried]) };
        }

        return Finished(episodeStart, OrchestrationRuntimeStatus.Completed, Serialize(execution.Result));
    }

    public override T? GetInput<T>()
        where T : default => Deserialize<T>(_input);

    public override Task<T> CallActivityAsync<T>(string name, object? input = null, TaskOptions? options = null) =>
        WithRetry(options, () => Typed<T>(Take(new TaskScheduled(_currentUtc, _nextTaskId, name, Serialize(input)))));

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, string? instanceId = null, object? input = null, TaskOptions? options = null) =>
        WithRetry(options, () => Typed<TResult>(Take(new SubOrchestrationCreated(
            _currentUtc, _nextTaskId, orchestratorName, instanceId ?? NewGuid().ToString("N"), Serialize(input)))));

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var timer = Take(new TimerCreated(_currentUtc, _nextTaskId, DateTime.SpecifyKind(fireAt.ToUniversalTime(), DateTimeKind.Utc)));
        if (cancellationToken.CanBeCanceled)
        {
            var completion = _open[_nextTaskId - 1].Completion;
            cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        }

        return timer;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        var index = _unclaimed.FindIndex(e => string.Equals(e.Name, eventName, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            var arrived = _unclaimed[index];
            _unclaimed.RemoveAt(index);
            return Task.FromResult(Deserialize<T>(arrived.Input)!);
        }

        var waiter = new TaskCompletionSource<string?>();
        var entry = (eventName, waiter);
        _waiters.Add(entry);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                _waiters.Remove(entry);
                waiter.TrySetCanceled(cancellationToken);
            });
        }

        return Typed<T>(waiter.Task);
    }

    public override void SetCustomStatus(object? customStatus) => _customStatus = Serialize(customStatus);

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        _continueAsNew = new ContinueAsNewRequest(Serialize(newInput), preserveUnprocessedEvents);

    /// <summary>A version 5 (SHA-1, name-based) UUID of the instance id, the current time and a counter, as Durable Task makes them.</summary>
    public override Guid NewGuid()
    {
        var name = Encoding.UTF8.GetBytes($"{InstanceId}_{_currentUtc:O}_{_guidCounter++}");
        Span<byte> namespaceBytes = stackalloc byte[16];
        GuidNamespace.TryWriteBytes(namespaceBytes, bigEndian: true, out _);
#pragma warning disable CA5350 // RFC 4122 version 5 UUIDs are defined on SHA-1; nothing here relies on its strength.
        var hash = SHA1.HashData([.. namespaceBytes, .. name]);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private Task<object?>? Apply(HistoryEvent historyEvent)
    {
        switch (historyEvent)
        {
            case OrchestratorStarted started:
                _currentUtc = started.Timestamp;
                return null;
            case ExecutionStarted started:
                _input = started.Input;
                return Start(started.Input);
            case IScheduledEvent scheduled when !_taken.Contains(scheduled.TaskId):
                _nonDeterminism = $"The history of {InstanceId} records {scheduled.Step} as task #{scheduled.TaskId}, but the orchestrator did not take that step when replayed. {DeterminismAdvice}";
                return null;
            case ICompletionEvent completion:
                Complete(completion);
                return null;
            case EventRaised raised:
                Deliver(raised);
                return null;
            default:
                return null;
        }
    }

    private Task<object?> Start(string? input)
    {
        try
        {
            return _orchestrator.RunAsync(this, input is null ? null : JsonSerializer.Deserialize(input, _orchestrator.InputType, DurableJson.Options));
        }
        catch (JsonException e)
        {
            return Task.FromException<object?>(e);
        }
    }

    /// <summary>Takes an orchestrator action: verified against history when replaying, recorded as new otherwise.</summary>
    private Task<string?> Take(IScheduledEvent action)
    {
        var id = _nextTaskId++;
        _taken.Add(id);
        if (_recorded.TryGetValue(id, out var recorded))
        {
            if (recorded.Step != action.Step)
            {
                _nonDeterminism ??= $"The history of {InstanceId} records {recorded.Step} as task #{id}, but the orchestrator took a different step when replayed: {action.Step}. {DeterminismAdvice}";
            }
        }
        else
        {
            _newActions.Add(action);
        }

        var open = new OpenAction(action);
        _open[id] = open;
        return open.Completion.Task;
    }

    private void Complete(ICompletionEvent completion)
    {
        if (!_open.Remove(completion.TaskScheduledId, out var open))
        {
            // A cancelled timer firing, or a result for a step this execution no longer waits on.
            return;
        }

        switch (completion)
        {
            case TaskCompleted completed:
                open.Completion.TrySetResult(completed.Result);
                break;
            case SubOrchestrationCompleted completed:
                open.Completion.TrySetResult(completed.Result);
                break;
            case TimerFired:
                open.Completion.TrySetResult(null);
                break;
            case TaskFailed failed:
                open.Completion.TrySetException(new TaskFailedException(open.Name, completion.TaskScheduledId, failed.Failure));
                break;
            case SubOrchestrationFailed failed:
                open.Completion.TrySetException(new TaskFailedException(open.Name, completion.TaskScheduledId, failed.Failure));
                break;
        }
    }

    private void Deliver(EventRaised raised)
    {
        var index = _waiters.FindIndex(w => string.Equals(w.Name, raised.Name, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            _unclaimed.Add(raised);
            return;
        }

        var (_, waiter) = _waiters[index];
        _waiters.RemoveAt(index);
        waiter.TrySetResult(raised.Input);
    }

    private async Task<T> WithRetry<T>(TaskOptions? options, Func<Task<T>> attempt)
    {
        if (options?.Retry is not { } policy)
        {
            return await attempt();
        }

        var firstAttemptAt = _currentUtc;
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException) when (number < policy.MaxNumberOfAttempts && WithinRetryTimeout(policy, firstAttemptAt, policy.DelayAfter(number)))
            {
                await CreateTimer(_currentUtc + policy.DelayAfter(number), CancellationToken.None);
            }
        }
    }

    private bool WithinRetryTimeout(RetryPolicy policy, DateTime firstAttemptAt, TimeSpan delay) =>
        policy.RetryTimeout == Timeout.InfiniteTimeSpan || _currentUtc + delay - firstAttemptAt <= policy.RetryTimeout;

    /// <summary>
    /// The execution ended. Steps it took in its last episode and never awaited are dropped, and open timers with
    /// them: unlike Durable Task, an instance does not stay running until its abandoned timers expire.
    /// </summary>
    private EpisodeResult Finished(OrchestratorStarted episodeStart, OrchestrationRuntimeStatus status, string? output = null, FailureDetails? failure = null) =>
        new([episodeStart, .. _incoming, new ExecutionCompleted(_now, status, output, failure)], [], status, _customStatus)
        {
            Output = status == OrchestrationRuntimeStatus.Completed ? output : null,
            Failure = failure,
        };

    private static async Task<T> Typed<T>(Task<string?> raw) => Deserialize<T>(await raw)!;

    private static string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), DurableJson.Options);

    private static T? Deserialize<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, DurableJson.Options);

    private sealed class OpenAction(IScheduledEvent action)
    {
        public string Name => action switch
        {
            TaskScheduled task => task.Name,
            SubOrchestrationCreated sub => sub.Name,
            _ => action.Step,
        };

        public TaskCompletionSource<string?> Completion { get; } = new();
    }

    private sealed record ContinueAsNewRequest(string? Input, bool PreserveUnprocessedEvents);
}
