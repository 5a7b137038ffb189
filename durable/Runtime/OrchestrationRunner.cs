using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Workforce.Durable.History;
using Status = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;

namespace Workforce.Durable.Runtime;

/// <summary>
/// The embedded engine's <see cref="TaskOrchestrationContext"/>: runs one episode of an orchestrator. It starts the
/// orchestrator, replays its recorded history (completing each awaited task with its recorded result, so the code
/// reaches the same point it reached before), then feeds it the new messages and collects the actions it takes. The
/// orchestrator runs synchronously on this thread: every task it awaits is one this context completes while applying
/// events.
/// </summary>
/// <remarks>
/// Determinism is checked as history is replayed: each action recorded in history must be taken again, with the
/// same id, kind and name. A mismatch fails the instance with a NonDeterministicOrchestrationException instead of
/// letting a changed orchestrator corrupt it.
/// </remarks>
internal sealed class OrchestrationRunner : TaskOrchestrationContext
{
    public const string NonDeterministicErrorType = "NonDeterministicOrchestrationException";

    private const string DeterminismAdvice =
        "Orchestrator code must be deterministic; to change an orchestration, version it instead of editing it while instances run.";

    /// <summary>The namespace Durable Task uses for its name-based replay-safe GUIDs.</summary>
    private static readonly Guid GuidNamespace = new("9e952958-5e33-4daf-827f-2fa12937b875");

    private readonly ITaskOrchestrator _orchestrator;
    private readonly DataConverter _converter;
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
    private ParentOrchestrationInstance? _parent;

    public OrchestrationRunner(
        ITaskOrchestrator orchestrator, Episode episode, DataConverter converter, ILoggerFactory loggerFactory)
    {
        _orchestrator = orchestrator;
        _converter = converter;
        LoggerFactory = loggerFactory;
        Name = new TaskName(episode.Name);
        InstanceId = episode.InstanceId;
        _past = episode.Past;
        _incoming = episode.Incoming;
        _now = episode.Now;
        _customStatus = episode.CustomStatus;
        _recorded = _past.OfType<IScheduledEvent>().ToDictionary(e => e.TaskId);
    }

    public override TaskName Name { get; }

    public override string InstanceId { get; }

    public override ParentOrchestrationInstance? Parent => _parent;

    public override DateTime CurrentUtcDateTime => _currentUtc;

    public override bool IsReplaying => _isReplaying;

    protected override ILoggerFactory LoggerFactory { get; }

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
                return Finished(episodeStart, Status.Failed, failure: new RecordedFailure(NonDeterministicErrorType, _nonDeterminism));
            }
        }

        if (execution is null)
        {
            throw new InvalidOperationException($"Instance {InstanceId} has no ExecutionStarted event.");
        }

        if (!execution.IsCompleted)
        {
            return new EpisodeResult([episodeStart, .. _incoming, .. _newActions.Cast<HistoryEvent>()], _newActions, Status.Running, _customStatus);
        }

        if (!execution.IsCompletedSuccessfully)
        {
            var error = execution.Exception?.InnerException ?? new TaskCanceledException("The orchestrator was cancelled.");
            return Finished(episodeStart, Status.Failed, failure: RecordedFailure.Of(error));
        }

        if (_continueAsNew is { } next)
        {
            // The execution ends and the instance runs on as a new one (Durable Task's retired ContinuedAsNew status is
            // never recorded).
            var carried = next.PreserveUnprocessedEvents ? _unclaimed : [];
            return Finished(episodeStart, Status.Running, next.Input) with { ContinuedAsNew = new ContinueAsNew(next.Input, [.. carried]) };
        }

        return Finished(episodeStart, Status.Completed, _converter.Serialize(execution.Result));
    }

    public override T? GetInput<T>()
        where T : default => _converter.Deserialize<T>(_input);

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null) =>
        WithRetry(name.Name, options, () => Typed<TResult>(Take(new TaskScheduled(_currentUtc, _nextTaskId, name.Name, _converter.Serialize(input)))));

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
    {
        var instanceId = options is SubOrchestrationOptions { InstanceId: { } id } ? id : NewGuid().ToString("N");
        return WithRetry(orchestratorName.Name, options, () => Typed<TResult>(Take(new SubOrchestrationCreated(
            _currentUtc, _nextTaskId, orchestratorName.Name, instanceId, _converter.Serialize(input)))));
    }

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
            return Task.FromResult(_converter.Deserialize<T>(arrived.Input)!);
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

    /// <summary>Recorded as a step like any other, so a replay does not send it again.</summary>
    public override void SendEvent(string instanceId, string eventName, object payload) =>
        _ = Take(new EventSent(_currentUtc, _nextTaskId, instanceId, eventName, _converter.Serialize(payload)));

    public override void SetCustomStatus(object? customStatus) => _customStatus = _converter.Serialize(customStatus);

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        _continueAsNew = new ContinueAsNewRequest(_converter.Serialize(newInput), preserveUnprocessedEvents);

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
                _parent = started.Parent is { } parent ? new ParentOrchestrationInstance(new TaskName(parent.Name ?? ""), parent.InstanceId) : null;
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
            return _orchestrator.RunAsync(this, _converter.Deserialize(input, _orchestrator.InputType));
        }
        catch (Exception e)
        {
            // The orchestrator's own failures come back in the task it returns; this is a failure to call it at all
            // (an input that does not deserialize), which fails the instance the same way.
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
        if (action is EventSent)
        {
            // Sending completes nothing the orchestrator waits on.
            _open.Remove(id);
        }

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
                open.Completion.TrySetException(new TaskFailedException(open.Name, completion.TaskScheduledId, failed.Failure.ToTaskFailureDetails()));
                break;
            case SubOrchestrationFailed failed:
                open.Completion.TrySetException(new TaskFailedException(open.Name, completion.TaskScheduledId, failed.Failure.ToTaskFailureDetails()));
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

    /// <summary>
    /// Retries a failed call as Durable Task does: by the policy's attempts, backoff and timeout, or by asking the
    /// handler after each failure; the waits between attempts are durable timers.
    /// </summary>
    private async Task<T> WithRetry<T>(string name, TaskOptions? options, Func<Task<T>> attempt)
    {
        if (options?.Retry is not { } retry)
        {
            return await attempt();
        }

        var firstAttemptAt = _currentUtc;
        for (var number = 1; ; number++)
        {
            TaskFailedException failed;
            try
            {
                return await attempt();
            }
            catch (TaskFailedException e)
            {
                failed = e;
            }

            if (retry.Policy is { } policy)
            {
                var delay = DelayAfter(policy, number);
                if (number >= policy.MaxNumberOfAttempts || !WithinRetryTimeout(policy, firstAttemptAt, delay) || !policy.Handle(AsCoreFailure(name, failed)))
                {
                    throw failed;
                }

                await CreateTimer(_currentUtc + delay, CancellationToken.None);
            }
            else if (retry.Handler is not { } handler
                || !await handler(new RetryContext(this, number, failed.FailureDetails, _currentUtc - firstAttemptAt, CancellationToken.None)))
            {
                throw failed;
            }
        }
    }

    /// <summary>The delay after the given failed attempt (1-based): the first interval times the coefficient to the (n-1), capped.</summary>
    private static TimeSpan DelayAfter(RetryPolicy policy, int attempt)
    {
        var delay = policy.FirstRetryInterval.TotalMilliseconds * Math.Pow(policy.BackoffCoefficient, attempt - 1);
        return policy.MaxRetryInterval == Timeout.InfiniteTimeSpan
            ? TimeSpan.FromMilliseconds(delay)
            : TimeSpan.FromMilliseconds(Math.Min(delay, policy.MaxRetryInterval.TotalMilliseconds));
    }

    private bool WithinRetryTimeout(RetryPolicy policy, DateTime firstAttemptAt, TimeSpan delay) =>
        policy.RetryTimeout == Timeout.InfiniteTimeSpan || _currentUtc + delay - firstAttemptAt <= policy.RetryTimeout;

    /// <summary>A policy's failure filter is written against Durable Task Core's exception, which carries the details.</summary>
    private static global::DurableTask.Core.Exceptions.TaskFailedException AsCoreFailure(string name, TaskFailedException failed) =>
        new(eventId: -1, scheduleId: failed.TaskId, name, version: null, reason: failed.Message, cause: null)
        {
            FailureDetails = new global::DurableTask.Core.FailureDetails(
                failed.FailureDetails.ErrorType, failed.FailureDetails.ErrorMessage, failed.FailureDetails.StackTrace, innerFailure: null, isNonRetriable: false),
        };

    /// <summary>
    /// The execution ended. Steps it took in its last episode and never awaited are dropped, and open timers with
    /// them: unlike Durable Task, an instance does not stay running until its abandoned timers expire.
    /// </summary>
    private EpisodeResult Finished(OrchestratorStarted episodeStart, Status status, string? output = null, RecordedFailure? failure = null)
    {
        // Events sent in the last episode still go out.
        var sent = _newActions.OfType<EventSent>().ToList();
        return new EpisodeResult([episodeStart, .. _incoming, .. sent, new ExecutionCompleted(_now, status, output, failure)], [.. sent], status, _customStatus)
        {
            Output = status == Status.Completed ? output : null,
            Failure = failure,
        };
    }

    private async Task<T> Typed<T>(Task<string?> raw) => _converter.Deserialize<T>(await raw)!;

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

/// <summary>What one episode replays and consumes.</summary>
internal sealed record Episode(string Name, string InstanceId, IReadOnlyList<HistoryEvent> Past, IReadOnlyList<HistoryEvent> Incoming, DateTime Now, string? CustomStatus);
