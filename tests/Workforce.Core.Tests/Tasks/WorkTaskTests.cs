using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Tasks;

public sealed class WorkTaskTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid AgentId = Guid.NewGuid();

    private static WorkTask Pending(int maxRetries = 3) => new()
    {
        Id = Guid.NewGuid(),
        TenantId = "t",
        Type = "echo",
        MaxRetries = maxRetries,
        TimeoutSeconds = 60,
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    [Fact]
    public void Assignment_records_the_agent_and_counts_an_attempt()
    {
        var assigned = Pending().AssignTo(AgentId, Now);

        Assert.Equal(TaskState.Assigned, assigned.State);
        Assert.Equal(AgentId, assigned.AssignedAgentId);
        Assert.Equal(1, assigned.Attempt);
    }

    [Fact]
    public void A_completed_task_refuses_to_run_again()
    {
        var completed = Pending().AssignTo(AgentId, Now).Start(Now).Complete(new RawJson("42"), Now);

        var error = Assert.Throws<IllegalTransitionException>(() => completed.Start(Now));
        Assert.Equal(TaskState.Completed, error.From);
        Assert.Equal(TaskState.Running, error.To);
        Assert.Contains("completed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pending_task_cannot_start_before_it_is_assigned() =>
        Assert.Throws<IllegalTransitionException>(() => Pending().Start(Now));

    [Fact]
    public void A_cancelled_task_cannot_be_cancelled_again() =>
        Assert.Throws<IllegalTransitionException>(() => Pending().Cancel(Now).Cancel(Now));

    [Fact]
    public void Completion_stamps_the_result_and_time()
    {
        var completed = Pending().AssignTo(AgentId, Now).Start(Now).Complete(new RawJson("""{"ok":true}"""), Now.AddSeconds(5));

        Assert.Equal(TaskState.Completed, completed.State);
        Assert.Equal("""{"ok":true}""", completed.Result?.Text);
        Assert.Equal(Now.AddSeconds(5), completed.CompletedAt);
    }

    [Fact]
    public void Retryable_failure_with_attempts_left_goes_back_to_pending_after_the_backoff()
    {
        var retried = Pending(maxRetries: 1).AssignTo(AgentId, Now).Fail("boom", retryable: true, TimeSpan.FromSeconds(2), Now);

        Assert.Equal(TaskState.Pending, retried.State);
        Assert.Null(retried.AssignedAgentId);
        Assert.Equal(Now.AddSeconds(2), retried.NextAttemptAt);
        Assert.Equal("boom", retried.Error);
        Assert.False(retried.IsLeasable(Now.AddSeconds(1)));
        Assert.True(retried.IsLeasable(Now.AddSeconds(2)));
    }

    [Fact]
    public void Failure_after_the_last_attempt_is_final()
    {
        var task = Pending(maxRetries: 1).AssignTo(AgentId, Now).Fail("first", true, TimeSpan.Zero, Now).AssignTo(AgentId, Now);

        var failed = task.Fail("second", retryable: true, TimeSpan.FromSeconds(4), Now);

        Assert.Equal(2, failed.Attempt);
        Assert.Equal(TaskState.Failed, failed.State);
        Assert.Equal(Now, failed.CompletedAt);
    }

    [Fact]
    public void Non_retryable_failure_is_final_even_with_attempts_left()
    {
        var failed = Pending(maxRetries: 5).AssignTo(AgentId, Now).Fail("bad input", retryable: false, TimeSpan.FromSeconds(2), Now);

        Assert.Equal(TaskState.Failed, failed.State);
    }

    [Fact]
    public void Release_returns_the_task_at_once_without_backoff()
    {
        var released = Pending().AssignTo(AgentId, Now).Start(Now).Release("agent gone", Now);

        Assert.Equal(TaskState.Pending, released.State);
        Assert.Null(released.NextAttemptAt);
        Assert.Null(released.AssignedAgentId);
        Assert.Equal(1, released.Attempt);
    }

    [Fact]
    public void A_pending_task_past_its_deadline_expires_as_failed()
    {
        var task = Pending() with { Deadline = Now.AddMinutes(1) };

        Assert.False(task.IsPastDeadline(Now));
        Assert.True(task.IsPastDeadline(Now.AddMinutes(1)));
        Assert.Equal(TaskState.Failed, task.Expire(Now.AddMinutes(1)).State);
    }
}
