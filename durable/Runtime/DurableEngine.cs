using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workforce.Durable.History;
using Workforce.Durable.Persistence;
using Workforce.Core.Telemetry;
using Workforce.Orchestrations;
using Workforce.Storage.Sqlite;

namespace Workforce.Durable.Runtime;

/// <summary>
/// The embedded durable engine: runs the orchestrators and activities of a <see cref="DurableTaskRegistry"/> with
/// bounded concurrency, fires durable timers, and serves them through <see cref="Client"/>, a
/// <see cref="DurableTaskClient"/> like any other. All durable state lives in the SQLite file and every step commits
/// in one transaction, so after a kill -9 a restart resumes every instance where its last commit left it.
/// </summary>
/// <remarks>
/// Guarantees: an orchestrator episode's effects (history, new activities, timers, messages) commit together or
/// not at all, so episodes are exactly-once as far as history is concerned; activities are at-least-once — an
/// activity's outcome is committed by the episode that consumes it, so one that ran but whose outcome was not yet
/// committed runs again after a restart; external events raised through the client are committed before the call
/// returns.
/// </remarks>
public sealed partial class DurableEngine : IHostedService, IAsyncDisposable
{
    private readonly DurableStore _store;
    private readonly Dictionary<string, Func<IServiceProvider, ITaskOrchestrator>> _orchestrators;
    private readonly Dictionary<string, Func<IServiceProvider, ITaskActivity>> _activities;
    private readonly IServiceProvider _services;
    private readonly DurableEngineOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<DurableEngine> _logger;
    private readonly ConcurrentDictionary<string, InstanceState> _active = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<StatusWaiter>> _statusWaiters = new(StringComparer.Ordinal);
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private readonly Channel<ActivityWorkItem> _activityQueue = Channel.CreateUnbounded<ActivityWorkItem>();

    /// <summary>
    /// The trace each active instance was started in, so its episodes and activities are spans of that trace (a task's
    /// lifecycle workflow joins its submission's trace). Its W3C traceparent is written with the instance's row when
    /// it is created (no extra commit) and read back at start-up, so an instance resumed after a restart stays in its trace.
    /// </summary>
    private readonly ConcurrentDictionary<string, System.Diagnostics.ActivityContext> _traces = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTime> _timers = new();
    private readonly Lock _timerLock = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _timerChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loops = Task.CompletedTask;
    private int _disposed;

    /// <param name="services">Where activities get what they need; they are created for each run, as on Durable Task's worker.</param>
    public DurableEngine(
        SqliteDatabase database,
        DurableTaskRegistry registry,
        IServiceProvider services,
        DurableEngineOptions options,
        TimeProvider clock,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _store = new DurableStore(database);
        _orchestrators = registry.GetOrchestrators().ToDictionary(o => o.Key.Name, o => o.Value, StringComparer.Ordinal);
        _activities = registry.GetActivities().ToDictionary(a => a.Key.Name, a => a.Value, StringComparer.Ordinal);
        _services = services;
        _options = options;
        _clock = clock;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<DurableEngine>();
        Client = new EmbeddedDurableTaskClient(this);
    }

    /// <summary>Starts, signals, inspects and purges this engine's instances.</summary>
    public DurableTaskClient Client { get; }

    /// <summary>Started, not stopping, and its loops still going: what the server's readiness probe asks of it.</summary>
    public bool IsRunning => _started.Task.IsCompleted && !_stopping.IsCancellationRequested && !Volatile.Read(ref _loops).IsCompleted;

    /// <summary>Instances that have not finished (pending, running, suspended), counted in memory, so asking is free.</summary>
    public int ActiveInstanceCount => _active.Count;

    /// <summary>Migrates the engine's tables, reloads every pending and running instance, and starts working.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.MigrateAsync(cancellationToken);
        foreach (var instance in _store.LoadActiveInstances())
        {
            _active[instance.InstanceId] = new InstanceState(instance);
            if (System.Diagnostics.ActivityContext.TryParse(instance.TraceParent, traceState: null, isRemote: true, out var trace))
            {
                _traces[instance.InstanceId] = trace;
            }
        }

        var inbox = _store.LoadInbox();
        foreach (var message in inbox)
        {
            Deliver(message);
        }

        var activities = _store.LoadActivities();
        foreach (var activity in activities)
        {
            _activityQueue.Writer.TryWrite(activity);
        }

        LogResumed(_logger, _active.Count, inbox.Count, activities.Count);
        var stopping = _stopping.Token;
        _loops = Task.WhenAll(
            [
                .. Enumerable.Range(0, _options.MaxConcurrentOrchestrations).Select(_ => Task.Run(() => RunEpisodesAsync(stopping), stopping)),
                .. Enumerable.Range(0, _options.MaxConcurrentActivities).Select(_ => Task.Run(() => RunActivitiesAsync(stopping), stopping)),
                Task.Run(() => RunTimersAsync(stopping), stopping),
            ]);
        _started.TrySetResult();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        _ready.Writer.TryComplete();
        _activityQueue.Writer.TryComplete();
        await _loops.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Stops the engine; safe to call more than once (the container disposes each registration of it).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Dispose();
        }
    }

    /// <exception cref="OrchestrationAlreadyExistsException">
    /// An unfinished instance holds the id, or a finished one whose status the options' dedupe statuses name. Durable
    /// Task replaces an unfinished instance unless the dedupe statuses name its status; this engine always refuses
    /// (docs/architecture.md, differences from Durable Task).
    /// </exception>
    internal async Task<string> ScheduleAsync(string orchestratorName, string? input, StartOrchestrationOptions? options, CancellationToken cancellationToken)
    {
        if (!_orchestrators.ContainsKey(orchestratorName))
        {
            throw new ArgumentException($"No orchestrator named '{orchestratorName}' is registered.", nameof(orchestratorName));
        }

        await _started.Task.WaitAsync(cancellationToken);
        // Time-ordered ids keep the rows of instances started together on the same pages of every table keyed by id.
        var instanceId = options?.InstanceId ?? Guid.CreateVersion7(_clock.GetUtcNow()).ToString("N");
        if (_active.TryGetValue(instanceId, out var existing))
        {
            throw AlreadyExists(instanceId, existing.Row.Status);
        }

        if (options?.DedupeStatuses is { Count: > 0 } dedupe && _store.Get(instanceId, withInputsAndOutputs: false) is { } finished
            && dedupe.Contains(finished.RuntimeStatus.ToString()))
        {
            throw AlreadyExists(instanceId, finished.RuntimeStatus);
        }

        var now = Now();
        var startAt = options?.StartAt?.UtcDateTime is { } at && at > now ? at : now;
        var trace = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current : null;
        var started = await _store.CreateInstanceAsync(instanceId, orchestratorName, input, trace?.Id, startAt, now)
            ?? throw AlreadyExists(instanceId, OrchestrationRuntimeStatus.Running);
        if (trace is not null)
        {
            _traces[instanceId] = trace.Context;
        }

        Deliver(started);
        return instanceId;
    }

    internal Task RaiseEventAsync(string instanceId, string eventName, string? payload, CancellationToken cancellationToken) =>
        SendAsync(instanceId, new EventRaised(Now(), eventName, payload), cancellationToken);

    internal Task TerminateAsync(string instanceId, string? output, CancellationToken cancellationToken) =>
        SendAsync(instanceId, new ExecutionTerminated(Now(), output), cancellationToken);

    internal OrchestrationMetadata? GetInstance(string instanceId, bool getInputsAndOutputs) => _store.Get(instanceId, getInputsAndOutputs);

    internal Page<OrchestrationMetadata> QueryInstances(OrchestrationQuery query, string? continuationToken, int pageSize) =>
        _store.Query(query, continuationToken, pageSize);

    internal async Task<int> PurgeAsync(string? instanceId, PurgeInstancesFilter? filter) => await _store.PurgeAsync(instanceId, filter);

    /// <summary>Completes when the instance's status satisfies the condition: at once if it already does.</summary>
    internal async Task<OrchestrationMetadata> WaitForStatusAsync(
        string instanceId, Func<OrchestrationRuntimeStatus, bool> condition, bool getInputsAndOutputs, CancellationToken cancellationToken)
    {
        var waiter = new StatusWaiter(condition);
        var waiters = _statusWaiters.GetOrAdd(instanceId, _ => []);
        lock (waiters)
        {
            waiters.Add(waiter);
        }

        try
        {
            if (_store.Get(instanceId, withInputsAndOutputs: false) is not { } current || !condition(current.RuntimeStatus))
            {
                await waiter.Reached.Task.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            lock (waiters)
            {
                waiters.Remove(waiter);
            }
        }

        return _store.Get(instanceId, getInputsAndOutputs)!;
    }

    private static OrchestrationAlreadyExistsException AlreadyExists(string instanceId, OrchestrationRuntimeStatus status) =>
        new($"An orchestration with id '{instanceId}' already exists. It's in the {status} state.");

    private async Task SendAsync(string instanceId, HistoryEvent message, CancellationToken cancellationToken)
    {
        await _started.Task.WaitAsync(cancellationToken);
        if (_active.ContainsKey(instanceId) && await _store.EnqueueForActiveAsync(instanceId, message, Now()) is { } queued)
        {
            Deliver(queued);
        }
    }

    /// <summary>Hands a committed message to its instance: ready now if visible, else when its timer falls due.</summary>
    private void Deliver(InboxMessage message)
    {
        if (message.Event is ExecutionStarted started)
        {
            // Start-up loads every active instance before delivering, so an instance first seen here was just
            // created: it has no history yet, and its first episode need not read any.
            _active.GetOrAdd(message.InstanceId, id => new InstanceState(
                new ActiveInstance(id, started.Name, message.ExecutionId!, OrchestrationRuntimeStatus.Pending, null, started.Parent)) { History = [] });
        }

        if (!_active.TryGetValue(message.InstanceId, out var state))
        {
            return;
        }

        lock (state)
        {
            state.Inbox.Add(message);
        }

        if (message.VisibleAt <= Now())
        {
            MarkReady(state);
        }
        else
        {
            ScheduleTimer(message.InstanceId, message.VisibleAt);
        }
    }

    private void MarkReady(InstanceState state)
    {
        lock (state)
        {
            if (state.Queued)
            {
                return;
            }

            state.Queued = true;
        }

        _ready.Writer.TryWrite(state.Row.InstanceId);
    }

    private async Task RunEpisodesAsync(CancellationToken stopping)
    {
        await foreach (var instanceId in _ready.Reader.ReadAllAsync(stopping))
        {
            if (!_active.TryGetValue(instanceId, out var state))
            {
                continue;
            }

            lock (state)
            {
                state.Queued = false;
                if (state.Running)
                {
                    state.Dirty = true;
                    continue;
                }

                state.Running = true;
            }

            var retry = false;
            try
            {
                await RunEpisodeAsync(state);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogEpisodeFailed(_logger, e, instanceId);
                retry = true;
            }

            bool again;
            lock (state)
            {
                state.Running = false;
                again = state.Dirty || state.HasWork(Now());
                state.Dirty = false;
            }

            if (retry)
            {
                ScheduleTimer(instanceId, Now() + _options.RetryDelay);
            }
            else if (again && _active.ContainsKey(instanceId))
            {
                MarkReady(state);
            }
        }
    }

    private async Task RunEpisodeAsync(InstanceState state)
    {
        var now = Now();
        state.History ??= [.. _store.LoadHistory(state.Row.InstanceId)];
        List<InboxMessage> batch;
        ActiveInstance instance;
        lock (state)
        {
            if (!state.HasWork(now))
            {
                return;
            }

            // In order of arrival, which is the order they were committed in.
            batch = [.. state.Inbox.Where(m => m.VisibleAt <= now)];
            instance = state.Row;
        }

        var consumed = new HashSet<InboxMessage>(batch, ReferenceEqualityComparer.Instance);
        // Results and timers of an execution that ended in ContinueAsNew are consumed without effect.
        var events = batch.Where(m => m.ExecutionId is null || m.ExecutionId == instance.ExecutionId).Select(m => m.Event).ToList();
        if (events.Count == 0)
        {
            await _store.DiscardMessagesAsync(batch);
            lock (state)
            {
                state.Inbox.RemoveAll(consumed.Contains);
            }

            return;
        }

        using var span = StartSpan("workflow.episode", instance.Name, instance.InstanceId);
        var result = Decide(instance, state.History, events, now);
        span?.SetTag("workflow.status", result.Status.ToString());
        var committed = await _store.CommitEpisodeAsync(new EpisodeCommit(
            instance, state.History.Count, result.NewHistory, batch, result.NewActions,
            result.Status, result.CustomStatus, result.Output, result.Failure, result.ContinuedAsNew, now));

        lock (state)
        {
            state.Inbox.RemoveAll(consumed.Contains);
            if (result.ContinuedAsNew is not null)
            {
                state.History = [];
                state.Inbox.RemoveAll(m => m.ExecutionId == instance.ExecutionId);
                state.Row = instance with { ExecutionId = committed.ExecutionId, Status = OrchestrationRuntimeStatus.Running, CustomStatus = result.CustomStatus };
            }
            else
            {
                state.History.AddRange(result.NewHistory);
                state.Row = instance with { Status = result.Status, CustomStatus = result.CustomStatus };
            }
        }

        if (result.Status.IsFinished())
        {
            _active.TryRemove(instance.InstanceId, out _);
            _traces.TryRemove(instance.InstanceId, out _);
            LogFinished(_logger, instance.InstanceId, instance.Name, result.Status, result.Failure?.ErrorMessage);
        }

        NotifyStatus(instance.InstanceId, state.Row.Status);
        foreach (var message in committed.Messages)
        {
            Deliver(message);
        }

        foreach (var activity in committed.Activities)
        {
            _activityQueue.Writer.TryWrite(activity);
        }
    }

    /// <summary>What this episode does: terminate, or run the orchestrator over its history and new messages.</summary>
    private EpisodeResult Decide(ActiveInstance instance, IReadOnlyList<HistoryEvent> history, IReadOnlyList<HistoryEvent> events, DateTime now)
    {
        if (events.OfType<ExecutionTerminated>().FirstOrDefault() is { } terminated)
        {
            return new EpisodeResult(
                [new OrchestratorStarted(now), terminated, new ExecutionCompleted(now, OrchestrationRuntimeStatus.Terminated, terminated.Output, null)],
                [], OrchestrationRuntimeStatus.Terminated, instance.CustomStatus) { Output = terminated.Output };
        }

        if (!_orchestrators.TryGetValue(instance.Name, out var factory))
        {
            var failure = new RecordedFailure("OrchestratorNotFound", $"No orchestrator named '{instance.Name}' is registered.");
            return new EpisodeResult([new OrchestratorStarted(now), .. events, new ExecutionCompleted(now, OrchestrationRuntimeStatus.Failed, null, failure)],
                [], OrchestrationRuntimeStatus.Failed, instance.CustomStatus) { Failure = failure };
        }

        var episode = new Episode(instance.Name, instance.InstanceId, history, events, now, instance.CustomStatus);
        return new OrchestrationRunner(factory(_services), episode, WorkflowJson.Converter, _loggerFactory).Run();
    }

    private async Task RunActivitiesAsync(CancellationToken stopping)
    {
        await foreach (var item in _activityQueue.Reader.ReadAllAsync(stopping))
        {
            if (!_active.TryGetValue(item.InstanceId, out var state) || state.Row.ExecutionId != item.ExecutionId)
            {
                continue;
            }

            var outcome = await RunActivityAsync(item);
            Deliver(new InboxMessage(item.Id, item.InstanceId, item.ExecutionId, Now(), outcome) { IsActivityOutcome = true });
        }
    }

    private async Task<HistoryEvent> RunActivityAsync(ActivityWorkItem item)
    {
        if (!_activities.TryGetValue(item.Name, out var factory))
        {
            return new TaskFailed(Now(), item.TaskId, new RecordedFailure("ActivityNotFound", $"No activity named '{item.Name}' is registered."));
        }

        using var span = StartSpan("workflow.activity", item.Name, item.InstanceId);
        try
        {
            var activity = factory(_services);
            var result = await activity.RunAsync(new ActivityContext(new TaskName(item.Name), item.InstanceId), WorkflowJson.Converter.Deserialize(item.Input, activity.InputType));
            return new TaskCompleted(Now(), item.TaskId, WorkflowJson.Converter.Serialize(result));
        }
        catch (Exception e)
        {
            LogActivityFailed(_logger, e, item.Name, item.InstanceId);
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            return new TaskFailed(Now(), item.TaskId, RecordedFailure.Of(e));
        }
    }

    /// <summary>A span of the trace the instance was started in, or none when it was started untraced.</summary>
    private Activity? StartSpan(string kind, string name, string instanceId)
    {
        if (!_traces.TryGetValue(instanceId, out var parent))
        {
            return null;
        }

        var span = WorkforceTraces.Source.StartActivity($"{kind} {name}", ActivityKind.Internal, parent);
        span?.SetTag("workflow.name", name);
        span?.SetTag("workflow.instance.id", instanceId);
        return span;
    }

    private void ScheduleTimer(string instanceId, DateTime due)
    {
        lock (_timerLock)
        {
            var earliest = _timers.TryPeek(out _, out var first) ? first : DateTime.MaxValue;
            _timers.Enqueue(instanceId, due);
            if (due < earliest)
            {
                _timerChanged.TrySetResult();
            }
        }
    }

    private async Task RunTimersAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var due = new List<string>();
            DateTime? next;
            Task changed;
            lock (_timerLock)
            {
                var now = Now();
                while (_timers.TryPeek(out var instanceId, out var at) && at <= now)
                {
                    _timers.Dequeue();
                    due.Add(instanceId);
                }

                next = _timers.TryPeek(out _, out var earliest) ? earliest : null;
                _timerChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed = _timerChanged.Task;
            }

            foreach (var instanceId in due.Distinct())
            {
                if (_active.TryGetValue(instanceId, out var state))
                {
                    MarkReady(state);
                }
            }

            using var armed = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var wait = next is { } nextDue ? TimeSpan.FromTicks(Math.Max((nextDue - Now()).Ticks, 0)) : Timeout.InfiniteTimeSpan;
            var waiting = changed.WaitAsync(wait, _clock, armed.Token);
            // A clock that moved past the next timer while the wait was armed (a fake clock's step does) would arm it
            // from the later time and wait the whole interval again.
            if (next <= Now())
            {
                await armed.CancelAsync();
            }

            await waiting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void NotifyStatus(string instanceId, OrchestrationRuntimeStatus status)
    {
        if (!_statusWaiters.TryGetValue(instanceId, out var waiters))
        {
            return;
        }

        lock (waiters)
        {
            foreach (var waiter in waiters.Where(w => w.Condition(status)))
            {
                waiter.Reached.TrySetResult();
            }
        }
    }

    private DateTime Now() => _clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Information, Message = "Durable engine resumed {Instances} active instances, {Messages} pending messages and {Activities} pending activities")]
    private static partial void LogResumed(ILogger logger, int instances, int messages, int activities);

    [LoggerMessage(Level = LogLevel.Error, Message = "An episode of {InstanceId} could not be committed; it will be retried")]
    private static partial void LogEpisodeFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Orchestration {InstanceId} ({Name}) finished: {Status} {Failure}")]
    private static partial void LogFinished(ILogger logger, string instanceId, string name, OrchestrationRuntimeStatus status, string? failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activity {Activity} of {InstanceId} failed")]
    private static partial void LogActivityFailed(ILogger logger, Exception exception, string activity, string instanceId);

    private sealed class StatusWaiter(Func<OrchestrationRuntimeStatus, bool> condition)
    {
        public Func<OrchestrationRuntimeStatus, bool> Condition => condition;

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Who is running an activity: its name and the orchestration it works for.</summary>
    private sealed class ActivityContext(TaskName name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name => name;

        public override string InstanceId => instanceId;
    }
}
