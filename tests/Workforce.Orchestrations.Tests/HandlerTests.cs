using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Time.Testing;
using Workforce.Orchestrations.TaskLifecycle;
using TaskOptions = Workforce.Core.Tasks.TaskOptions;

namespace Workforce.Orchestrations.Tests;

public sealed class HandlerTests
{
    private readonly Mock<IWorkforceStore> _store = new();
    private readonly Mock<DurableTaskClient> _orchestrations = new("test");

    private StartTaskLifecycle Handler => new(_store.Object, _orchestrations.Object, new TaskOptions(), new LifecycleOptions(), NullLogger<StartTaskLifecycle>.Instance);

    [Fact]
    public async Task A_task_message_starts_the_lifecycle_under_the_tenant_prefixed_id()
    {
        var task = Task("acme", TaskState.Pending);
        _store.Setup(s => s.FindTaskAsync("acme", task.Id, It.IsAny<CancellationToken>())).ReturnsAsync(task);

        var result = await Handler.HandleAsync(Body(task));

        Assert.Equal(MessageSettlement.Complete, result.Settlement);
        _orchestrations.Verify(o => o.ScheduleNewOrchestrationInstanceAsync(new TaskName(WorkflowNames.TaskLifecycle),
            It.Is<TaskLifecycleInput>(i => i.TaskId == task.Id && i.Timeouts.TimeoutSeconds == 60 && i.Known.State == TaskState.Pending),
            It.Is<StartOrchestrationOptions>(s => s.InstanceId == $"acme:task:{task.Id:N}"
                && s.DedupeStatuses!.Contains("Running") && s.DedupeStatuses!.Contains("Pending")), It.IsAny<CancellationToken>()));
        _orchestrations.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_redelivered_message_for_a_watched_task_completes_quietly()
    {
        var task = Task("acme", TaskState.Running);
        _store.Setup(s => s.FindTaskAsync("acme", task.Id, It.IsAny<CancellationToken>())).ReturnsAsync(task);
        _orchestrations.Setup(o => o.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OrchestrationAlreadyExistsException("An orchestration with id 'x' already exists."));

        Assert.Equal(MessageSettlement.Complete, (await Handler.HandleAsync(Body(task))).Settlement);
    }

    [Fact]
    public async Task A_finished_or_missing_task_needs_no_lifecycle()
    {
        var finished = Task("acme", TaskState.Completed);
        _store.Setup(s => s.FindTaskAsync("acme", finished.Id, It.IsAny<CancellationToken>())).ReturnsAsync(finished);

        Assert.Equal(MessageSettlement.Complete, (await Handler.HandleAsync(Body(finished))).Settlement);
        Assert.Equal(MessageSettlement.Complete, (await Handler.HandleAsync(Body(Task("acme", TaskState.Pending)))).Settlement);
        _orchestrations.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task An_unreadable_message_is_dead_lettered_with_a_reason()
    {
        var result = await Handler.HandleAsync("{not json");

        Assert.Equal(MessageSettlement.DeadLetter, result.Settlement);
        Assert.Contains("not a task message", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_made_while_the_lifecycle_starts_is_told_to_it()
    {
        var task = Task("acme", TaskState.Pending);
        var assigned = task with { State = TaskState.Assigned, Revision = 2 };
        _store.SetupSequence(s => s.FindTaskAsync("acme", task.Id, It.IsAny<CancellationToken>())).ReturnsAsync(task).ReturnsAsync(assigned);

        await Handler.HandleAsync(Body(task));

        _orchestrations.Verify(o => o.ScheduleNewOrchestrationInstanceAsync(new TaskName(WorkflowNames.TaskLifecycle),
            It.Is<TaskLifecycleInput>(i => i.Known.Revision == 1), It.IsAny<StartOrchestrationOptions>(), It.IsAny<CancellationToken>()));
        _orchestrations.Verify(o => o.RaiseEventAsync($"acme:task:{task.Id:N}", TaskLifecycleOrchestrator.TaskChangedEvent,
            It.Is<TaskSnapshot>(s => s.State == TaskState.Assigned && s.Revision == 2), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task The_relay_gathers_changes_for_its_window_and_tells_each_task_its_newest_state_only()
    {
        var raised = new List<(string Instance, TaskSnapshot Snapshot)>();
        var told = new TaskCompletionSource();
        _orchestrations.Setup(o => o.RaiseEventAsync(It.IsAny<string>(), TaskLifecycleOrchestrator.TaskChangedEvent, It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, object?, CancellationToken>((id, _, payload, _) =>
            {
                raised.Add((id, (TaskSnapshot)payload!));
                told.TrySetResult();
            })
            .Returns(System.Threading.Tasks.Task.CompletedTask);
        var options = new LifecycleOptions();
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var relay = new LifecycleEventRelay(_store.Object, _orchestrations.Object, options, clock, NullLogger<LifecycleEventRelay>.Instance);
        var task = Guid.NewGuid();
        var at = DateTimeOffset.UnixEpoch;
        using var stop = new CancellationTokenSource();

        relay.OnCommitted(
        [
            new TaskTransition("acme", task, 1, null, TaskState.Pending, at, null, 0, null),
            new TaskTransition("acme", task, 2, TaskState.Pending, TaskState.Assigned, at, null, 1, null),
        ]);
        var running = relay.RunAsync(stop.Token);
        relay.OnCommitted([new TaskTransition("acme", task, 3, TaskState.Assigned, TaskState.Running, at, null, 1, null)]);
        Assert.Empty(raised);
        clock.Advance(options.EventBatchWindow);
        await told.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var (instance, snapshot) = Assert.Single(raised);
        Assert.Equal($"acme:task:{task:N}", instance);
        Assert.Equal((TaskState.Running, 3), (snapshot.State, snapshot.Revision));
        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Catching_up_tells_each_held_task_its_current_state_and_no_other()
    {
        var assigned = Task("acme", TaskState.Assigned) with { Revision = 2 };
        var running = Task("globex", TaskState.Running) with { Revision = 3 };
        _store.Setup(s => s.ListHeldTasksAsync(It.IsAny<CancellationToken>())).ReturnsAsync([assigned, running]);
        var relay = new LifecycleEventRelay(_store.Object, _orchestrations.Object, new LifecycleOptions(), TimeProvider.System, NullLogger<LifecycleEventRelay>.Instance);

        await relay.CatchUpAsync(CancellationToken.None);

        _orchestrations.Verify(o => o.RaiseEventAsync($"acme:task:{assigned.Id:N}", TaskLifecycleOrchestrator.TaskChangedEvent,
            It.Is<TaskSnapshot>(s => s.State == TaskState.Assigned && s.Revision == 2), It.IsAny<CancellationToken>()));
        _orchestrations.Verify(o => o.RaiseEventAsync($"globex:task:{running.Id:N}", TaskLifecycleOrchestrator.TaskChangedEvent,
            It.Is<TaskSnapshot>(s => s.State == TaskState.Running && s.Revision == 3), It.IsAny<CancellationToken>()));
        _orchestrations.VerifyNoOtherCalls();
    }

    private static WorkTask Task(string tenant, TaskState state) => new()
    {
        Id = Guid.NewGuid(),
        TenantId = tenant,
        Type = "t",
        State = state,
        TimeoutSeconds = 60,
    };

    private static string Body(WorkTask task) => TaskQueueMessage.For(task).Body;
}
