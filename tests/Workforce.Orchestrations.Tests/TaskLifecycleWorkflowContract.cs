using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workforce.Core.Tasks;
using Workforce.Orchestrations.TaskLifecycle;
using Workforce.Testing.Durable;

namespace Workforce.Orchestrations.Tests;

/// <summary>
/// The task lifecycle workflow's decisions, driven by the events a test raises and a scripted time-limit activity,
/// on each engine: it follows the task's changes, enforces its limits when nothing happens, ignores stale news, and
/// keeps a short history.
/// </summary>
public abstract class TaskLifecycleWorkflowContract(EngineKind kind) : IAsyncLifetime
{
    private static readonly ConcurrentDictionary<Guid, ConcurrentQueue<TaskSnapshot?>> Enforcements = new();

    private WorkflowEngine _engine = null!;

    public async ValueTask InitializeAsync() =>
        _engine = await WorkflowEngine.StartAsync(kind, registry => registry
            .AddOrchestrator<TaskLifecycleOrchestrator>(WorkflowNames.TaskLifecycle)
            .AddActivityFunc<TaskRef, TaskSnapshot?>(WorkflowNames.EnforceTaskTimeouts, (_, task) =>
                Enforcements.TryGetValue(task.TaskId, out var script) && script.TryDequeue(out var next)
                    ? next
                    : throw new InvalidOperationException($"No enforcement was scripted for {task.TaskId}.")));

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_task_already_finished_ends_the_lifecycle_at_once()
    {
        var (id, _) = await StartAsync(Snapshot(TaskState.Completed, 4));

        var done = await _engine.WaitForCompletionAsync(id);

        Assert.Equal(new TaskLifecycleOutcome(TaskState.Completed, null), done.ReadOutputAs<TaskLifecycleOutcome>());
    }

    [Fact]
    public async Task The_lifecycle_follows_change_events_to_the_end_and_shows_each_state()
    {
        var (id, _) = await StartAsync(Snapshot(TaskState.Pending, 1));
        await WatchingAsync(id, TaskState.Pending, 1);

        await Raise(id, Snapshot(TaskState.Assigned, 2));
        await WatchingAsync(id, TaskState.Assigned, 2);
        await Raise(id, Snapshot(TaskState.Running, 3));
        await WatchingAsync(id, TaskState.Running, 3);
        await Raise(id, Snapshot(TaskState.Completed, 4));

        var done = await _engine.WaitForCompletionAsync(id);
        Assert.Equal(TaskState.Completed, done.ReadOutputAs<TaskLifecycleOutcome>()!.State);
        Assert.Equal(new TaskLifecycleStatus(TaskState.Completed, 4), done.ReadCustomStatusAs<TaskLifecycleStatus>());
    }

    [Fact]
    public async Task When_nothing_happens_before_the_timeout_the_time_limits_are_enforced()
    {
        var (id, taskId) = await StartAsync(Snapshot(TaskState.Running, 3), timeoutSeconds: 1);
        Script(taskId, Snapshot(TaskState.Failed, 4, "The task did not complete within its timeout of 1 s."));

        var done = await _engine.RunToCompletionAsync(id, TimeSpan.FromSeconds(1));

        var outcome = done.ReadOutputAs<TaskLifecycleOutcome>()!;
        Assert.Equal(TaskState.Failed, outcome.State);
        Assert.StartsWith("The task did not complete", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_an_enforcement_that_retries_the_task_the_lifecycle_watches_on()
    {
        var (id, taskId) = await StartAsync(Snapshot(TaskState.Assigned, 2), assignmentTimeout: TimeSpan.FromSeconds(1));
        Script(taskId, Snapshot(TaskState.Pending, 3, "The agent did not start the task within 1 s."));

        await _engine.PassAsync(TimeSpan.FromSeconds(1));
        await WatchingAsync(id, TaskState.Pending, 3);
        await Raise(id, Snapshot(TaskState.Cancelled, 4));

        Assert.Equal(TaskState.Cancelled, (await _engine.WaitForCompletionAsync(id)).ReadOutputAs<TaskLifecycleOutcome>()!.State);
    }

    [Fact]
    public async Task A_stale_event_does_not_roll_the_task_back()
    {
        var (id, _) = await StartAsync(Snapshot(TaskState.Running, 3));
        await WatchingAsync(id, TaskState.Running, 3);

        await Raise(id, Snapshot(TaskState.Assigned, 2));
        await Raise(id, Snapshot(TaskState.Completed, 4));

        var done = await _engine.WaitForCompletionAsync(id);
        Assert.Equal(TaskState.Completed, done.ReadOutputAs<TaskLifecycleOutcome>()!.State);
    }

    [Fact]
    public async Task A_stale_event_leaves_the_lifecycle_watching_the_newer_state()
    {
        var (id, _) = await StartAsync(Snapshot(TaskState.Running, 3));
        await WatchingAsync(id, TaskState.Running, 3);

        await Raise(id, Snapshot(TaskState.Assigned, 2));
        await Task.Delay(300, TestContext.Current.CancellationToken);

        await WatchingAsync(id, TaskState.Running, 3);
    }

    [Fact]
    public async Task A_task_that_no_longer_exists_ends_the_lifecycle_without_an_outcome()
    {
        var (id, taskId) = await StartAsync(Snapshot(TaskState.Running, 3), timeoutSeconds: 1);
        Script(taskId, null);

        var done = await _engine.RunToCompletionAsync(id, TimeSpan.FromSeconds(1));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Null(done.ReadOutputAs<TaskLifecycleOutcome>());
    }

    [Fact]
    public async Task A_long_lived_lifecycle_continues_as_new_with_what_it_knows()
    {
        var (id, taskId) = await StartAsync(Snapshot(TaskState.Pending, 1));
        var revision = 1;
        for (var round = 0; round < TaskLifecycleOrchestrator.MaxRoundsPerExecution; round++)
        {
            await WatchingAsync(id, TaskState.Pending, revision);
            await Raise(id, Snapshot(TaskState.Pending, ++revision, "retrying"));
        }

        // The new execution starts from the snapshot the last one knew.
        var continued = await _engine.WaitUntilAsync(id, m => m.SerializedInput is { } input
            && JsonSerializer.Deserialize<TaskLifecycleInput>(input, WorkflowJson.Options)!.Known.Revision == revision, "the continued execution");
        Assert.Equal(taskId, JsonSerializer.Deserialize<TaskLifecycleInput>(continued.SerializedInput!, WorkflowJson.Options)!.TaskId);
        await WatchingAsync(id, TaskState.Pending, revision);
        await Raise(id, Snapshot(TaskState.Completed, revision + 1));
        Assert.Equal(TaskState.Completed, (await _engine.WaitForCompletionAsync(id)).ReadOutputAs<TaskLifecycleOutcome>()!.State);
    }

    private async Task<(string InstanceId, Guid TaskId)> StartAsync(TaskSnapshot known, int timeoutSeconds = 300, TimeSpan? assignmentTimeout = null)
    {
        var taskId = Guid.NewGuid();
        var input = new TaskLifecycleInput("acme", taskId, new TaskTimeouts(timeoutSeconds, null, assignmentTimeout ?? TimeSpan.FromSeconds(60)),
            TimeSpan.FromMinutes(5), known);
        var id = TaskLifecycleInstance.Id("acme", taskId);
        await _engine.Client.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.TaskLifecycle, input, new StartOrchestrationOptions(id));
        return (id, taskId);
    }

    private TaskSnapshot Snapshot(TaskState state, int revision, string? error = null) => new(state, revision, _engine.Clock.GetUtcNow(), error);

    private static void Script(Guid taskId, TaskSnapshot? enforcement) =>
        Enforcements.GetOrAdd(taskId, _ => new ConcurrentQueue<TaskSnapshot?>()).Enqueue(enforcement);

    private Task Raise(string id, TaskSnapshot snapshot) =>
        _engine.Client.RaiseEventAsync(id, TaskLifecycleOrchestrator.TaskChangedEvent, snapshot);

    private Task<OrchestrationMetadata> WatchingAsync(string id, TaskState state, int revision) =>
        _engine.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running
            && m.ReadCustomStatusAs<TaskLifecycleStatus>() == new TaskLifecycleStatus(state, revision), $"watching {state} at revision {revision}");
}

public sealed class EmbeddedTaskLifecycleWorkflowTests() : TaskLifecycleWorkflowContract(EngineKind.Embedded);

public sealed class DurableTaskTaskLifecycleWorkflowTests() : TaskLifecycleWorkflowContract(EngineKind.DurableTask);
