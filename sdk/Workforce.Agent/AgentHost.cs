using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Workforce.Agent;

/// <summary>
/// A Workforce worker agent: leases tasks up to its capacity, runs each with the handler registered for its type,
/// reports the result or the failure, heartbeats with its metrics, cancels handlers of tasks the server cancelled
/// or timed out, rides out a server that is away, and on stop drains and finishes (or releases) what it holds.
/// Register handlers with <see cref="Handle{TInput, TResult}"/>, then <see cref="RunAsync"/> until the token stops it;
/// or use <c>services.AddWorkforceAgent(…)</c> in a generic host.
/// </summary>
public sealed partial class AgentHost : IDisposable
{
    private readonly WorkforceAgentOptions _options;
    private readonly ServerConnection _server;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly ProcessMeter _meter;
    private readonly Dictionary<string, Func<JsonElement?, TaskContext, CancellationToken, Task<JsonNode?>>> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, Work> _running = new();
    private readonly SemaphoreSlim _slotFreed = new(0);

    /// <summary>Cancelled when the agent has stopped for good: ends its loops and any report still being retried.</summary>
    private readonly CancellationTokenSource _lifetime = new();

    private int _capacity;
    private volatile bool _stopping;
    private volatile bool _reconnected;

    /// <param name="http">The client to send with; one of its own when null. Its BaseAddress serves when the options name no ServerUrl.</param>
    public AgentHost(WorkforceAgentOptions options, HttpClient? http = null, ILogger<AgentHost>? logger = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        http ??= new HttpClient { Timeout = TimeSpan.FromSeconds(options.LeaseWaitSeconds + 30) };
        var root = options.ServerUrl ?? http.BaseAddress ?? throw new InvalidOperationException("Set ServerUrl, or give an HttpClient with a BaseAddress.");
        var text = root.ToString();
        _options = options;
        _server = new ServerConnection(http, new Uri((text.EndsWith('/') ? text : text + "/") + "api/v1/"));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
        _meter = new ProcessMeter(_clock);
        _capacity = options.Capacity;
    }

    /// <summary>The agent's id once it is connected (registered, or the one configured).</summary>
    public Guid AgentId => _server.AgentId;

    /// <summary>How many tasks the agent runs at once (the server's figure once connected).</summary>
    public int Capacity => _capacity;

    /// <summary>How many tasks the agent is running now.</summary>
    public int RunningCount => _running.Count;

    /// <summary>
    /// Runs tasks of <paramref name="taskType"/> with <paramref name="handler"/>: its payload arrives as
    /// <typeparamref name="TInput"/> (System.Text.Json, web defaults) and what it returns becomes the task's result.
    /// An exception fails the attempt retryably; a <see cref="NonRetryableException"/> fails the task for good. The
    /// token is cancelled when the task is cancelled or times out on the server, or the agent stops before it finished.
    /// </summary>
    public AgentHost Handle<TInput, TResult>(string taskType, Func<TInput, TaskContext, CancellationToken, Task<TResult>> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskType);
        ArgumentNullException.ThrowIfNull(handler);
        _handlers[taskType] = async (payload, context, cancellationToken) =>
        {
            var result = await handler(Read<TInput>(payload), context, cancellationToken);
            return JsonSerializer.SerializeToNode(result, ServerConnection.Json);
        };
        return this;
    }

    /// <summary>Runs tasks of <paramref name="taskType"/> that have no result.</summary>
    public AgentHost Handle<TInput>(string taskType, Func<TInput, TaskContext, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Handle<TInput, JsonNode?>(taskType, async (input, context, cancellationToken) =>
        {
            await handler(input, context, cancellationToken);
            return null;
        });
    }

    /// <summary>
    /// Connects (registering if configured to), then works until <paramref name="stoppingToken"/> is cancelled; then
    /// drains: leases nothing more, gives running handlers <see cref="WorkforceAgentOptions.ShutdownGracePeriod"/> to
    /// finish, cancels and releases the rest, and returns.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (_handlers.Count == 0 && _messageHandlers.Count == 0)
        {
            throw new InvalidOperationException("Register at least one handler with Handle(taskType, …) or OnMessage(type, …) before running the agent.");
        }

        try
        {
            await ConnectAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        LogConnected(_logger, AgentId, _capacity, _handlers.Keys, _messageHandlers.Keys);
        var heartbeats = HeartbeatLoopAsync(_lifetime.Token);
        var checks = _options.TaskCheckInterval > TimeSpan.Zero ? CheckLoopAsync(_lifetime.Token) : Task.CompletedTask;
        var messages = _messageHandlers.Count > 0 ? MessageLoopAsync(stoppingToken) : Task.CompletedTask;
        if (_handlers.Count > 0)
        {
            await AdoptHeldTasksAsync(stoppingToken);
            await LeaseLoopAsync(stoppingToken);
        }
        else
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, _clock, stoppingToken); // an agent that only handles messages
            }
            catch (OperationCanceledException)
            {
            }
        }

        await ShutDownAsync();
        await Task.WhenAny(messages, Task.Delay(_options.ShutdownGracePeriod, _clock, CancellationToken.None)); // a message handler running may finish
        await _lifetime.CancelAsync();
        await Task.WhenAll(heartbeats, checks, messages);
        LogStopped(_logger, AgentId);
    }

    /// <summary>Frees the agent's timers and signals; call after <see cref="RunAsync"/> returned.</summary>
    public void Dispose()
    {
        _lifetime.Dispose();
        _slotFreed.Dispose();
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await RetryAsync(async () =>
        {
            if (_options.AgentId is { } id)
            {
                _server.ActAs(id, _options.AgentKey!);
                await _server.ResumeAsync(cancellationToken); // a drain of its last shutdown must not keep it idle
                _capacity = await _server.CapacityAsync(cancellationToken) ?? _options.Capacity;
                return;
            }

            var capabilities = _options.Capabilities.Count > 0 ? [.. _options.Capabilities] : _handlers.Keys.ToList();
            var registration = await _server.RegisterAsync(_options.TenantKey!, new RegistrationRequest(_options.Name, capabilities, _options.Capacity, _options.Role), cancellationToken);
            _server.ActAs(registration.Id, registration.Key);
            _capacity = registration.Capacity;
        }, cancellationToken);
    }

    private async Task LeaseLoopAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var free = _capacity - _running.Count;
                if (free <= 0)
                {
                    await _slotFreed.WaitAsync(stoppingToken);
                    continue;
                }

                var leased = await _server.LeaseAsync(free, _options.LeaseWaitSeconds, stoppingToken);
                if (failures > 0 || _reconnected)
                {
                    LogReconnected(_logger, AgentId);
                    failures = 0;
                    _reconnected = false;
                    await AdoptHeldTasksAsync(stoppingToken);
                }

                foreach (var task in leased)
                {
                    Begin(task);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception away) when (away is ServerAwayException or ServerRefusedException or JsonException)
            {
                if (!await PauseAsync(away, failures++, stoppingToken))
                {
                    break;
                }
            }
        }
    }

    /// <summary>Tasks the server says this agent holds that it is not running: a lease or a restart whose answer was lost.</summary>
    private async Task AdoptHeldTasksAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var task in await _server.HeldTasksAsync(cancellationToken))
            {
                if (!_running.ContainsKey(task.Id))
                {
                    LogAdopted(_logger, AgentId, task.Id);
                    Begin(task);
                }
            }
        }
        catch (Exception away) when (away is ServerAwayException or ServerRefusedException or JsonException)
        {
            _reconnected = true; // try again after the next successful lease
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Begin(AgentTask task)
    {
        var work = new Work(task, new TaskContext(task, AgentId), CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token), _clock.GetTimestamp());
        if (_running.TryAdd(task.Id, work))
        {
            work.Execution = Task.Run(() => ExecuteAsync(work));
        }
        else
        {
            work.Cancellation.Dispose();
        }
    }

    private async Task ExecuteAsync(Work work)
    {
        var task = work.Task;
        try
        {
            if (!string.Equals(task.State, "running", StringComparison.OrdinalIgnoreCase) &&
                await ReportAsync(ct => _server.StartAsync(task, ct)) == Report.NotOurs)
            {
                return;
            }

            JsonNode? result;
            try
            {
                if (!_handlers.TryGetValue(task.Type, out var handler))
                {
                    throw new InvalidOperationException($"Agent {AgentId} has no handler for tasks of type '{task.Type}'; it handles {string.Join(", ", _handlers.Keys)}.");
                }

                result = await handler(task.Payload, work.Context, work.Cancellation.Token);
            }
            catch (Exception) when (work.Cancellation.IsCancellationRequested)
            {
                if (work.Context.CancellationReason == "shutdown")
                {
                    work.Reporting = true;
                    await ReportAsync(ct => _server.FailAsync(task, "The agent shut down before the task finished.", retryable: true, ct));
                }

                LogHandlerCancelled(_logger, AgentId, task.Id, work.Context.CancellationReason);
                return;
            }
            catch (NonRetryableException failure)
            {
                await FailAsync(work, failure, retryable: false);
                return;
            }
            catch (Exception failure)
            {
                await FailAsync(work, failure, retryable: true);
                return;
            }

            work.Reporting = true;
            var next = _stopping ? 0 : Math.Max(0, _capacity - _running.Count + 1);
            IReadOnlyList<AgentTask> following;
            try
            {
                (_, following) = await ReportAsync(ct => _server.CompleteAsync(task, result, next, ct));
            }
            catch (ServerRefusedException refused)
            {
                await FailAsync(work, new NonRetryableException($"The server refused the result: {refused.Message}"), retryable: false);
                return;
            }

            foreach (var followed in following)
            {
                Begin(followed);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
        }
        catch (ServerRefusedException refused)
        {
            LogReportRefused(_logger, AgentId, task.Id, refused.Message);
        }
        finally
        {
            _running.TryRemove(task.Id, out _);
            work.Cancellation.Dispose();
            _slotFreed.Release();
        }
    }

    private async Task FailAsync(Work work, Exception failure, bool retryable)
    {
        work.Reporting = true;
        LogHandlerFailed(_logger, failure, AgentId, work.Task.Id, retryable);
        var error = failure is NonRetryableException ? failure.Message : $"{failure.GetType().Name}: {failure.Message}";
        await ReportAsync(ct => _server.FailAsync(work.Task, error, retryable, ct));
    }

    /// <summary>Sends a report until the server takes it: a server that is away is retried with backoff until the agent stops for good.</summary>
    private async Task<T> ReportAsync<T>(Func<CancellationToken, Task<T>> send)
    {
        var token = _lifetime.Token;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await send(token);
            }
            catch (ServerAwayException away)
            {
                _reconnected = true;
                var delay = Backoff(attempt);
                LogServerAway(_logger, AgentId, away.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, _clock, token);
            }
        }
    }

    private async Task RetryAsync(Func<Task> call, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (ServerAwayException away)
            {
                var delay = Backoff(attempt);
                LogServerAway(_logger, Guid.Empty, away.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, _clock, cancellationToken);
            }
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _clock);
        do
        {
            try
            {
                var working = _running.Values.Where(work => !work.Reporting).Select(work => work.Task.Id).ToList();
                foreach (var lost in await _server.HeartbeatAsync(_meter.Sample(), working, cancellationToken))
                {
                    Cancel(lost.Id, lost.Reason);
                }
            }
            catch (Exception away) when (away is ServerAwayException or ServerRefusedException or JsonException)
            {
                LogHeartbeatFailed(_logger, AgentId, away.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    /// <summary>While tasks run, asks which the server still gives this agent: one missing was cancelled or timed out.</summary>
    private async Task CheckLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.TaskCheckInterval, _clock);
        while (await WaitAsync(timer, cancellationToken))
        {
            if (_running.IsEmpty)
            {
                continue;
            }

            try
            {
                var askedAt = _clock.GetTimestamp();
                var held = (await _server.HeldTasksAsync(cancellationToken)).Select(task => task.Id).ToHashSet();
                foreach (var work in _running.Values.Where(work => !work.Reporting && work.BegunAt < askedAt && !held.Contains(work.Task.Id)))
                {
                    Cancel(work.Task.Id, "lost");
                }
            }
            catch (Exception away) when (away is ServerAwayException or ServerRefusedException or JsonException)
            {
                LogHeartbeatFailed(_logger, AgentId, away.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Cancel(Guid taskId, string reason)
    {
        if (_running.TryGetValue(taskId, out var work) && !work.Reporting && !work.Cancellation.IsCancellationRequested)
        {
            work.Context.CancellationReason ??= reason;
            LogCancelling(_logger, AgentId, taskId, reason);
            try
            {
                work.Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task ShutDownAsync()
    {
        _stopping = true;
        LogDraining(_logger, AgentId, _running.Count, _options.ShutdownGracePeriod.TotalSeconds);
        using var calls = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _server.DrainAsync(calls.Token);

            // A lease cut off by the stop may have been granted: release what the agent holds but never began.
            foreach (var task in await _server.HeldTasksAsync(calls.Token))
            {
                if (!_running.ContainsKey(task.Id))
                {
                    await _server.FailAsync(task, "The agent shut down before it started the task.", retryable: true, calls.Token);
                }
            }
        }
        catch (Exception away) when (away is ServerAwayException or ServerRefusedException or JsonException or OperationCanceledException)
        {
            LogHeartbeatFailed(_logger, AgentId, away.Message);
        }

        if (!await FinishedWithinAsync(_options.ShutdownGracePeriod))
        {
            foreach (var work in _running.Values)
            {
                Cancel(work.Task.Id, "shutdown");
            }

            await FinishedWithinAsync(TimeSpan.FromSeconds(10));
        }
    }

    private async Task<bool> FinishedWithinAsync(TimeSpan limit)
    {
        var all = Task.WhenAll(_running.Values.Select(work => work.Execution ?? Task.CompletedTask));
        await Task.WhenAny(all, Task.Delay(limit, _clock));
        return all.IsCompleted && _running.IsEmpty;
    }

    /// <summary>A poll failed: waits out its backoff; false when <paramref name="stoppingToken"/> stopped the wait.</summary>
    private async Task<bool> PauseAsync(Exception away, int failures, CancellationToken stoppingToken)
    {
        var delay = Backoff(failures);
        LogServerAway(_logger, AgentId, away.Message, delay.TotalMilliseconds);
        try
        {
            await Task.Delay(delay, _clock, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A payload as <typeparamref name="T"/> (null as default); one that does not fit is a <see cref="NonRetryableException"/>.</summary>
    private static T Read<T>(JsonElement? payload)
    {
        try
        {
            return payload is { ValueKind: not JsonValueKind.Null } json ? json.Deserialize<T>(ServerConnection.Json)! : default!;
        }
        catch (JsonException invalid)
        {
            throw new NonRetryableException($"The payload does not fit {typeof(T).Name}: {invalid.Message}", invalid);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds, _options.ReconnectBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed record RegistrationRequest(string Name, IReadOnlyList<string> Capabilities, int Capacity, string? Role);

    private sealed class Work(AgentTask task, TaskContext context, CancellationTokenSource cancellation, long begunAt)
    {
        public AgentTask Task { get; } = task;

        public TaskContext Context { get; } = context;

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public long BegunAt { get; } = begunAt;

        public Task? Execution { get; set; }

        /// <summary>The handler is done and its outcome is being reported: the server's answer, not a poll, decides now.</summary>
        public volatile bool Reporting;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} connected with capacity {Capacity}; it handles tasks {TaskTypes} and messages {MessageTypes}")]
    private static partial void LogConnected(ILogger logger, Guid agentId, int capacity, IEnumerable<string> taskTypes, IEnumerable<string> messageTypes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId}: {Problem}; trying again in {DelayMs} ms")]
    private static partial void LogServerAway(ILogger logger, Guid agentId, string problem, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} reached the server again")]
    private static partial void LogReconnected(ILogger logger, Guid agentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} holds task {TaskId} it was not running; running it")]
    private static partial void LogAdopted(ILogger logger, Guid agentId, Guid taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} cancels the handler of task {TaskId}: {Reason}")]
    private static partial void LogCancelling(ILogger logger, Guid agentId, Guid taskId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId}: the handler of task {TaskId} stopped on cancellation ({Reason})")]
    private static partial void LogHandlerCancelled(ILogger logger, Guid agentId, Guid taskId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId}: the handler of task {TaskId} failed (retryable: {Retryable})")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, Guid agentId, Guid taskId, bool retryable);

    [LoggerMessage(Level = LogLevel.Error, Message = "Agent {AgentId}: the server refused the report of task {TaskId}: {Detail}")]
    private static partial void LogReportRefused(ILogger logger, Guid agentId, Guid taskId, string detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Agent {AgentId}: a heartbeat or task check failed: {Problem}")]
    private static partial void LogHeartbeatFailed(ILogger logger, Guid agentId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} drains: {Running} tasks running, {GraceSeconds} s to finish")]
    private static partial void LogDraining(ILogger logger, Guid agentId, int running, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} stopped")]
    private static partial void LogStopped(ILogger logger, Guid agentId);
}
