using Workforce.Core.Queues;
using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Tasks;

public sealed class TaskTransitionTests
{
    private readonly Platform _platform = new();

    [Fact]
    public async Task Every_committed_transition_is_published_in_order_with_its_revision()
    {
        var task = await _platform.SubmitAsync();
        var agent = await _platform.RegisterAsync();
        await _platform.LeaseAsync(agent);
        await _platform.Move.StartAsync(Platform.AgentCaller(agent), task.Id);
        await _platform.Move.CompleteAsync(Platform.AgentCaller(agent), task.Id, new CompleteTaskCommand());

        var transitions = _platform.Transitions.All.Where(t => t.TaskId == task.Id).ToList();
        Assert.Equal([TaskState.Pending, TaskState.Assigned, TaskState.Running, TaskState.Completed], transitions.Select(t => t.To));
        Assert.Equal([null, TaskState.Pending, TaskState.Assigned, TaskState.Running], transitions.Select(t => t.From));
        Assert.Equal([1, 2, 3, 4], transitions.Select(t => t.Revision));
        Assert.All(transitions.Skip(1), t => Assert.Equal(agent.Id, t.AgentId));
        Assert.Equal(transitions, await _platform.Store.GetTaskHistoryAsync(Platform.TenantId, task.Id));
    }

    [Fact]
    public async Task A_refused_move_publishes_nothing()
    {
        var task = await _platform.SubmitAsync();
        await _platform.Move.CancelAsync(Platform.Tenant, task.Id);
        var published = _platform.Transitions.All.Count;

        await _platform.Move.CancelAsync(Platform.Tenant, task.Id);

        Assert.Equal(published, _platform.Transitions.All.Count);
    }

    [Fact]
    public async Task A_failure_carries_its_reason()
    {
        var task = await _platform.SubmitAsync();
        var agent = await _platform.RegisterAsync();
        await _platform.LeaseAsync(agent);

        await _platform.Move.FailAsync(Platform.AgentCaller(agent), task.Id, new FailTaskCommand("disk full"));

        var last = _platform.Transitions.All[^1];
        Assert.Equal((TaskState.Assigned, TaskState.Pending, "disk full"), (last.From, last.To, last.Reason));
    }

    [Fact]
    public async Task A_submission_with_a_deadline_hands_the_task_to_the_queue_of_its_priority()
    {
        var outcome = await _platform.Submit.ExecuteAsync(Platform.Tenant,
            new SubmitTaskCommand("dated", TaskPriority.Critical, Deadline: _platform.Clock.GetUtcNow().AddHours(1)));

        var message = Assert.Single(_platform.Store.SentMessages);
        Assert.Equal(WorkQueues.TasksCritical, message.Queue);
        Assert.Equal(Platform.TenantId, message.TenantId);
        Assert.Equal(new TaskQueueMessage(Platform.TenantId, outcome.Value!.Task.Id), TaskQueueMessage.Parse(message.Body));
    }

    [Fact]
    public async Task A_task_without_a_deadline_is_handed_to_the_queue_by_its_first_lease_only()
    {
        var task = await _platform.SubmitAsync(priority: TaskPriority.High);
        Assert.Empty(_platform.Store.SentMessages);
        var agent = await _platform.RegisterAsync();

        await _platform.LeaseAsync(agent);
        var message = Assert.Single(_platform.Store.SentMessages);
        Assert.Equal((WorkQueues.TasksHigh, new TaskQueueMessage(Platform.TenantId, task.Id)), (message.Queue, TaskQueueMessage.Parse(message.Body)));

        // Failed back into the queue and leased again: the workflow the first lease started still watches it.
        await _platform.Move.FailAsync(Platform.AgentCaller(agent), task.Id, new FailTaskCommand("flaky"));
        _platform.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(task.Id, (await _platform.LeaseAsync(agent))!.Id);
        Assert.Single(_platform.Store.SentMessages);
    }

    [Fact]
    public void A_lifecycle_starts_when_a_task_first_gets_a_time_limit()
    {
        var now = DateTimeOffset.UnixEpoch;
        var pending = new WorkTask { Id = Guid.NewGuid(), TenantId = "t", Type = "x", MaxRetries = 3 };
        var dated = pending with { Deadline = now.AddHours(1) };
        var assigned = pending.AssignTo(Guid.NewGuid(), now);
        var retried = assigned.Fail("flaky", retryable: true, TimeSpan.Zero, now);

        Assert.False(pending.StartsLifecycle(before: null));
        Assert.True(dated.StartsLifecycle(before: null));
        Assert.True(dated.StartsLifecycle(before: pending)); // a revision that adds a deadline
        Assert.True(assigned.StartsLifecycle(before: pending));
        Assert.False(dated.AssignTo(Guid.NewGuid(), now).StartsLifecycle(before: dated));
        Assert.False(assigned.Start(now).StartsLifecycle(before: assigned));
        Assert.False(retried.AssignTo(Guid.NewGuid(), now).StartsLifecycle(before: retried));
    }

    [Fact]
    public async Task A_replayed_submission_sends_nothing_more()
    {
        var dated = new SubmitTaskCommand("once", Deadline: _platform.Clock.GetUtcNow().AddHours(1));
        await _platform.Submit.ExecuteAsync(Platform.Tenant, dated, "key");
        await _platform.Submit.ExecuteAsync(Platform.Tenant, dated, "key");

        Assert.Single(_platform.Store.SentMessages);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("not json")]
    [InlineData("""{"tenantId":"t","taskId":"00000000-0000-0000-0000-000000000000"}""")]
    public void A_body_that_is_not_a_task_message_parses_to_null(string body) => Assert.Null(TaskQueueMessage.Parse(body));
}
