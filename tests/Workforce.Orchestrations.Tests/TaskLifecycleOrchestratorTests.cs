using Moq;
using Workforce.Core.Tasks;
using Workforce.Orchestrations.Durable;
using Workforce.Orchestrations.TaskLifecycle;
using TaskOptions = Workforce.Orchestrations.Durable.TaskOptions;

namespace Workforce.Orchestrations.Tests;

public sealed class TaskLifecycleOrchestratorTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset Since = new(Now);
    private static readonly Guid TaskId = Guid.NewGuid();

    private readonly Mock<OrchestrationContext> _context = new(MockBehavior.Strict);
    private readonly List<DateTime> _timers = [];
    private readonly List<object?> _statuses = [];

    public TaskLifecycleOrchestratorTests()
    {
        _context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        _context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(_statuses.Add);
        _context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Callback<DateTime, CancellationToken>((at, _) => _timers.Add(at))
            .Returns(new TaskCompletionSource().Task);
    }

    [Fact]
    public async Task A_task_already_finished_ends_the_lifecycle_at_once()
    {
        var input = Watching(new TaskSnapshot(TaskState.Completed, 4, Since, null));

        var outcome = await new TaskLifecycleOrchestrator().RunAsync(_context.Object, input);

        Assert.Equal(new TaskLifecycleOutcome(TaskState.Completed, null), outcome);
        Assert.Empty(_timers);
    }

    [Fact]
    public async Task The_lifecycle_follows_change_events_and_arms_a_timer_for_each_state()
    {
        var input = Watching(new TaskSnapshot(TaskState.Pending, 1, Since, null));
        _context.SetupSequence(c => c.WaitForExternalEvent<TaskSnapshot>(TaskLifecycleOrchestrator.TaskChangedEvent, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TaskSnapshot(TaskState.Assigned, 2, Since.AddSeconds(1), null))
            .ReturnsAsync(new TaskSnapshot(TaskState.Running, 3, Since.AddSeconds(2), null))
            .ReturnsAsync(new TaskSnapshot(TaskState.Completed, 4, Since.AddSeconds(3), null));

        var outcome = await new TaskLifecycleOrchestrator().RunAsync(_context.Object, input);

        Assert.Equal(TaskState.Completed, outcome!.State);
        Assert.Equal([Now.AddMinutes(5), Now.AddSeconds(61), Now.AddSeconds(122)], _timers);
        Assert.Equal(
            [new TaskLifecycleStatus(TaskState.Pending, 1), new TaskLifecycleStatus(TaskState.Assigned, 2),
             new TaskLifecycleStatus(TaskState.Running, 3), new TaskLifecycleStatus(TaskState.Completed, 4)],
            _statuses);
    }

    [Fact]
    public async Task When_the_timer_fires_first_the_time_limits_are_enforced()
    {
        var input = Watching(new TaskSnapshot(TaskState.Running, 3, Since, null));
        _context.Setup(c => c.WaitForExternalEvent<TaskSnapshot>(TaskLifecycleOrchestrator.TaskChangedEvent, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<TaskSnapshot>().Task);
        _context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _context.Setup(c => c.CallActivityAsync<TaskSnapshot?>(WorkflowNames.EnforceTaskTimeouts, It.IsAny<TaskRef>(), It.IsAny<TaskOptions>()))
            .ReturnsAsync(new TaskSnapshot(TaskState.Failed, 4, Since.AddMinutes(2), "The task did not complete within its timeout of 120 s."));

        var outcome = await new TaskLifecycleOrchestrator().RunAsync(_context.Object, input);

        Assert.Equal(TaskState.Failed, outcome!.State);
        Assert.StartsWith("The task did not complete", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_event_does_not_roll_the_task_back()
    {
        var input = Watching(new TaskSnapshot(TaskState.Running, 3, Since, null));
        _context.SetupSequence(c => c.WaitForExternalEvent<TaskSnapshot>(TaskLifecycleOrchestrator.TaskChangedEvent, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TaskSnapshot(TaskState.Assigned, 2, Since.AddSeconds(-1), null))
            .ReturnsAsync(new TaskSnapshot(TaskState.Completed, 4, Since.AddSeconds(3), null));

        await new TaskLifecycleOrchestrator().RunAsync(_context.Object, input);

        Assert.Equal([Now.AddSeconds(120), Now.AddSeconds(120)], _timers);
    }

    [Fact]
    public async Task A_task_that_no_longer_exists_ends_the_lifecycle_without_an_outcome()
    {
        var input = Watching(new TaskSnapshot(TaskState.Running, 3, Since, null));
        _context.Setup(c => c.WaitForExternalEvent<TaskSnapshot>(TaskLifecycleOrchestrator.TaskChangedEvent, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<TaskSnapshot>().Task);
        _context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _context.Setup(c => c.CallActivityAsync<TaskSnapshot?>(WorkflowNames.EnforceTaskTimeouts, It.IsAny<TaskRef>(), It.IsAny<TaskOptions>()))
            .ReturnsAsync((TaskSnapshot?)null);

        Assert.Null(await new TaskLifecycleOrchestrator().RunAsync(_context.Object, input));
    }

    [Fact]
    public async Task A_long_lived_lifecycle_continues_as_new_with_what_it_knows()
    {
        var input = Watching(new TaskSnapshot(TaskState.Pending, 1, Since, null));
        var revision = 1;
        _context.Setup(c => c.WaitForExternalEvent<TaskSnapshot>(TaskLifecycleOrchestrator.TaskChangedEvent, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new TaskSnapshot(TaskState.Pending, ++revision, Since, "retrying"));
        TaskLifecycleInput? continued = null;
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), true)).Callback<object?, bool>((next, _) => continued = (TaskLifecycleInput?)next);

        Assert.Null(await new TaskLifecycleOrchestrator().RunAsync(_context.Object, input));

        Assert.Equal(TaskLifecycleOrchestrator.MaxRoundsPerExecution + 1, continued!.Known!.Revision);
        Assert.Equal(TaskId, continued.TaskId);
    }

    private static TaskLifecycleInput Watching(TaskSnapshot known) =>
        new("acme", TaskId, new TaskTimeouts(120, null, TimeSpan.FromSeconds(60)), TimeSpan.FromMinutes(5), known);
}
