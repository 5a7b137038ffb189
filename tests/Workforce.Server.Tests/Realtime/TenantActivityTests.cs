using Workforce.Core.Tasks;
using Workforce.Server.Realtime;
using Microsoft.Extensions.Time.Testing;

namespace Workforce.Server.Tests.Realtime;

public sealed class TenantActivityTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly TenantActivity _activity;

    public TenantActivityTests()
    {
        _activity = new TenantActivity(_clock);
    }

    [Fact]
    public void Many_changes_of_one_task_coalesce_into_its_latest_even_out_of_order()
    {
        _activity.Watch();
        var task = Guid.NewGuid();
        _activity.Record(Transition(task, 3, TaskState.Assigned, TaskState.Running));
        _activity.Record(Transition(task, 2, TaskState.Pending, TaskState.Assigned));
        _activity.Record(Transition(task, 4, TaskState.Running, TaskState.Completed));

        var batch = _activity.TakeBatch(maxTasks: 10);

        Assert.Equal(4, Assert.Single(batch.Tasks).Revision);
        Assert.True(_activity.TakeBatch(maxTasks: 10).IsEmpty);
    }

    [Fact]
    public void Over_the_limit_failures_and_retries_are_kept_first_then_the_newest()
    {
        _activity.Watch();
        var failed = Transition(Guid.NewGuid(), 3, TaskState.Running, TaskState.Failed, reason: "boom");
        _activity.Record(failed);
        var retried = Transition(Guid.NewGuid(), 3, TaskState.Running, TaskState.Pending, reason: "timed out");
        _activity.Record(retried);
        TaskTransition? newest = null;
        for (var i = 0; i < 50; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            newest = Transition(Guid.NewGuid(), 1, null, TaskState.Pending);
            _activity.Record(newest);
        }

        var batch = _activity.TakeBatch(maxTasks: 3);

        Assert.Equal(3, batch.Tasks.Count);
        Assert.Contains(failed.TaskId, batch.Tasks.Select(t => t.TaskId));
        Assert.Contains(retried.TaskId, batch.Tasks.Select(t => t.TaskId));
        Assert.Contains(newest!.TaskId, batch.Tasks.Select(t => t.TaskId));
    }

    [Fact]
    public void An_edit_of_a_pending_task_is_not_kept_first_as_a_failure_is()
    {
        _activity.Watch();
        var edited = Transition(Guid.NewGuid(), 2, TaskState.Pending, TaskState.Pending, reason: "Changed priority low → high.");
        _activity.Record(edited);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var newer = Transition(Guid.NewGuid(), 1, null, TaskState.Pending);
        _activity.Record(newer);

        Assert.Equal(newer.TaskId, Assert.Single(_activity.TakeBatch(maxTasks: 1).Tasks).TaskId);
    }

    [Fact]
    public void A_removal_replaces_the_tasks_waiting_change_and_is_never_dropped_over_the_limit()
    {
        _activity.Watch();
        var deleted = Guid.NewGuid();
        _activity.Record(Transition(deleted, 2, TaskState.Pending, TaskState.Cancelled));
        _activity.RecordRemoval(new TaskRemoval("acme", deleted, "edited", TaskState.Cancelled, TaskPriority.Low, _clock.GetUtcNow()));
        var others = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        foreach (var other in others)
        {
            _activity.RecordRemoval(new TaskRemoval("acme", other, "done", TaskState.Completed, TaskPriority.Medium, _clock.GetUtcNow()));
        }

        var first = _activity.TakeBatch(maxTasks: 2);
        var second = _activity.TakeBatch(maxTasks: 2);

        Assert.Empty(first.Tasks);
        Assert.True(_activity.TakeStatsDue());
        Assert.Equal(2, first.Removed.Count);
        Assert.Equal(new[] { deleted }.Concat(others).Order(), first.Removed.Concat(second.Removed).Select(r => r.TaskId).Order());
        Assert.True(_activity.TakeBatch(maxTasks: 2).IsEmpty);
    }

    [Fact]
    public void An_agent_changes_when_it_takes_or_gives_up_a_task_not_when_it_starts_one()
    {
        _activity.Watch();
        var (leased, started, released) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        _activity.Record(Transition(Guid.NewGuid(), 2, TaskState.Pending, TaskState.Assigned, agent: leased));
        _activity.Record(Transition(Guid.NewGuid(), 3, TaskState.Assigned, TaskState.Running, agent: started));
        _activity.Record(Transition(Guid.NewGuid(), 4, TaskState.Running, TaskState.Completed, agent: released));

        Assert.Equal(new[] { leased, released }.Order(), _activity.TakeBatch(maxTasks: 10).Agents.Order());
    }

    [Fact]
    public void With_a_shared_hub_a_tenant_is_watched_while_it_has_recent_activity_on_this_server()
    {
        var shared = new TenantActivity(_clock, WatchRule.RecentActivity);
        var task = Guid.NewGuid();
        var agent = Guid.NewGuid();
        Assert.False(shared.IsWatched);

        shared.Record(Transition(task, 2, TaskState.Pending, TaskState.Assigned, agent: agent));

        Assert.True(shared.IsWatched);
        Assert.True(shared.TakeStatsDue());
        var batch = shared.TakeBatch(maxTasks: 10);
        Assert.Equal(task, Assert.Single(batch.Tasks).TaskId);
        Assert.Equal(agent, Assert.Single(batch.Agents));

        _clock.Advance(TenantActivity.ActivityWindow);
        Assert.False(shared.IsWatched);
        Assert.False(shared.TakeStatsDue());
    }

    [Fact]
    public void With_a_shared_hub_the_last_local_dashboard_leaving_keeps_the_changes_for_the_others()
    {
        var shared = new TenantActivity(_clock, WatchRule.RecentActivity);
        shared.Watch();
        shared.Record(Transition(Guid.NewGuid(), 1, null, TaskState.Pending));

        shared.Unwatch();

        Assert.Single(shared.TakeBatch(maxTasks: 10).Tasks);
    }

    [Fact]
    public void Unwatched_tenants_keep_only_their_throughput()
    {
        _activity.Record(Transition(Guid.NewGuid(), 4, TaskState.Running, TaskState.Completed));
        _activity.Record(Transition(Guid.NewGuid(), 4, TaskState.Running, TaskState.Failed, reason: "boom"));
        _activity.RecordAgent(Guid.NewGuid());

        Assert.True(_activity.TakeBatch(maxTasks: 10).IsEmpty);
        Assert.Equal((1, 1), _activity.PerMinute());
    }

    [Fact]
    public void Throughput_counts_the_last_minute_and_stats_stay_due_until_it_falls_to_zero()
    {
        _activity.Watch();
        _activity.Record(Transition(Guid.NewGuid(), 4, TaskState.Running, TaskState.Completed));
        _clock.Advance(TimeSpan.FromSeconds(30));
        _activity.Record(Transition(Guid.NewGuid(), 4, TaskState.Running, TaskState.Completed));

        Assert.True(_activity.TakeStatsDue());
        Assert.Equal((2, 0), _activity.PerMinute());
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal((1, 0), _activity.PerMinute());
        Assert.True(_activity.TakeStatsDue());
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal((0, 0), _activity.PerMinute());
        Assert.False(_activity.TakeStatsDue());
    }

    private TaskTransition Transition(Guid task, int revision, TaskState? from, TaskState to, Guid? agent = null, string? reason = null) =>
        new("acme", task, revision, from, to, _clock.GetUtcNow(), agent, 1, reason);
}
