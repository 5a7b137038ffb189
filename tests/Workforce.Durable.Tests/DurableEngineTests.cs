using Workforce.Durable.Runtime;
using Workforce.Orchestrations.Durable;

namespace Workforce.Durable.Tests;

/// <summary>The engine's capabilities, each on a small orchestrator from <see cref="TestWorkflows"/>.</summary>
public sealed class DurableEngineTests : IAsyncLifetime
{
    private EngineHost _host = null!;

    private DurableEngine Engine => _host.Engine;

    public async ValueTask InitializeAsync() => _host = await new EngineHost(TestWorkflows.Orchestrators, TestWorkflows.Activities).StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Sequential_activities_run_in_order_and_the_output_is_recorded()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("Sequence", new[] { "Tokyo", "Seattle", "London" });

        var done = await _host.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("Hello Tokyo! Hello Seattle! Hello London!", done.ReadOutputAs<string>());
        Assert.Equal("""["Tokyo","Seattle","London"]""", done.SerializedInput);
    }

    [Fact]
    public async Task Fan_out_runs_activities_in_parallel_within_the_limit()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("FanOut", 100);

        var done = await _host.WaitAsync(id);

        Assert.Equal(Enumerable.Range(0, 100).Sum(i => i * i), done.ReadOutputAs<int>());
        Assert.InRange(TestWorkflows.MaxParallelSquares, 2, 8);
    }

    [Fact]
    public async Task A_durable_timer_fires_when_its_time_comes_and_not_before()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("Sleep", 30);
        await _host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        _host.Clock.Advance(TimeSpan.FromMinutes(29));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Engine.GetInstanceAsync(id))!.RuntimeStatus);

        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("woke at 12:30", (await _host.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_durable_timer_survives_a_restart()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("Sleep", 10);
        await _host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await _host.RestartAsync();
        _host.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal("woke at 12:10", (await _host.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task An_external_event_completes_the_wait_with_its_payload()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "order-1");
        await _host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await Engine.RaiseEventAsync(id, "approval", "approved by ops");

        Assert.Equal("approved by ops", (await _host.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task An_event_that_arrives_before_the_wait_is_kept_for_it()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "order-2", new StartOrchestrationOptions(StartAt: _host.Clock.GetUtcNow().AddMinutes(1)));
        await Engine.RaiseEventAsync(id, "Approval", "early");

        _host.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("early", (await _host.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_wait_with_a_timeout_gives_up_when_the_timer_fires_first()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("AwaitWithTimeout", 60);
        await _host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        _host.Clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal("timed out", (await _host.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_sub_orchestration_returns_its_result_to_the_parent()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("Parent", "Lima");

        Assert.Equal("Hello Lima!", (await _host.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_failing_sub_orchestration_surfaces_as_a_task_failure_in_the_parent()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("Parent", "boom");

        Assert.Equal("child failed: boom", (await _host.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_failing_activity_is_retried_after_its_backoff_delays()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("Flaky", 2);
        await _host.WaitUntilAsync(id, _ => _host.PendingTimers(id) == 1);

        _host.Clock.Advance(TimeSpan.FromSeconds(10));
        await _host.WaitUntilAsync(id, _ => TestWorkflows.Attempts.GetValueOrDefault(id) == 2 && _host.PendingTimers(id) == 1);
        _host.Clock.Advance(TimeSpan.FromSeconds(19));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(2, TestWorkflows.Attempts[id]);
        _host.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("succeeded on attempt 3", (await _host.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task An_activity_failing_more_often_than_its_policy_allows_fails_the_orchestration()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("Flaky", 5);
        for (var attempt = 1; attempt < 3; attempt++)
        {
            await _host.WaitUntilAsync(id, _ => TestWorkflows.Attempts.GetValueOrDefault(id) == attempt && _host.PendingTimers(id) == 1);
            _host.Clock.Advance(TimeSpan.FromSeconds(20));
        }

        var done = await _host.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("attempt 3 failed", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(3, TestWorkflows.Attempts[id]);
    }

    [Fact]
    public async Task Continue_as_new_restarts_with_the_new_input_and_a_fresh_history()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("Counter", 0);

        var done = await _host.WaitAsync(id);

        Assert.Equal(5, done.ReadOutputAs<int>());
        Assert.Equal("5", done.SerializedInput);
        Assert.Equal(3, _host.HistoryLength(id));
    }

    [Fact]
    public async Task A_terminated_instance_stops_waiting()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "order-3");
        await _host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await Engine.TerminateInstanceAsync(id, "no longer needed");

        var done = await _host.WaitAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("no longer needed", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_running_instance_id_cannot_be_scheduled_twice_but_a_finished_one_can_run_again()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "x", new StartOrchestrationOptions("job-1"));

        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => Engine.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "x", new StartOrchestrationOptions(id)));

        await Engine.RaiseEventAsync(id, "Approval", "first");
        await _host.WaitAsync(id);
        await Engine.ScheduleNewOrchestrationInstanceAsync("Sequence", new[] { "again" }, new StartOrchestrationOptions(id));
        Assert.Equal("Hello again!", (await _host.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Purging_removes_finished_instances_only()
    {
        var finished = await Engine.ScheduleNewOrchestrationInstanceAsync("Sequence", new[] { "a" });
        await _host.WaitAsync(finished);
        var running = await Engine.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "y");

        Assert.Equal(1, (await Engine.PurgeAllInstancesAsync(new PurgeInstancesFilter(CreatedTo: _host.Clock.GetUtcNow().AddMinutes(1)))).PurgedInstanceCount);
        Assert.Null(await Engine.GetInstanceAsync(finished));
        Assert.NotNull(await Engine.GetInstanceAsync(running));
        Assert.Equal(0, (await Engine.PurgeInstanceAsync(running)).PurgedInstanceCount);
    }

    [Fact]
    public async Task Queries_filter_by_prefix_and_status_and_page()
    {
        for (var i = 0; i < 5; i++)
        {
            await Engine.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "q", new StartOrchestrationOptions($"tenant-a:{i}"));
        }

        await Engine.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "q", new StartOrchestrationOptions("tenant-b:0"));

        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await Engine.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "tenant-a:", PageSize = 2, ContinuationToken = token });
            ids.AddRange(page.Instances.Select(i => i.InstanceId));
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(["tenant-a:0", "tenant-a:1", "tenant-a:2", "tenant-a:3", "tenant-a:4"], ids.Order());
        var completed = await Engine.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "tenant-a:", Statuses = [OrchestrationRuntimeStatus.Completed] });
        Assert.Empty(completed.Instances);
    }

    [Fact]
    public async Task An_event_for_an_instance_that_does_not_exist_is_dropped()
    {
        await Engine.RaiseEventAsync("nobody", "Approval", "hello");

        Assert.Null(await Engine.GetInstanceAsync("nobody"));
    }

    [Fact]
    public async Task Replay_gives_the_same_time_and_guids_and_says_it_is_replaying()
    {
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("Replay", "r");
        await _host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        _host.Clock.Advance(TimeSpan.FromHours(1));

        await Engine.RaiseEventAsync(id, "Go", "now");
        var output = (await _host.WaitAsync(id)).ReadOutputAs<string[]>()!;

        var runs = TestWorkflows.Observed.Where(o => o.InstanceId == id).ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal([false, true], runs.Select(r => r.IsReplaying).Order());
        Assert.Single(runs.Select(r => r.Guid).Distinct());
        Assert.Single(runs.Select(r => r.Time).Distinct());
        Assert.Equal(runs[0].Guid.ToString(), output[0]);
    }

    [Fact]
    public async Task An_orchestrator_that_changed_under_a_running_instance_fails_it_with_a_clear_error()
    {
        TestWorkflows.ChangedCode = false;
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("Changing", "c");
        // Started, scheduled the activity, consumed its result: five events, now waiting for Go.
        await _host.WaitUntilAsync(id, _ => _host.HistoryLength(id) == 5);

        TestWorkflows.ChangedCode = true;
        await _host.RestartAsync();
        await Engine.RaiseEventAsync(id, "Go", "now");
        var done = await _host.WaitAsync(id);
        TestWorkflows.ChangedCode = false;

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(OrchestrationRunner.NonDeterministicErrorType, done.FailureDetails!.ErrorType);
        Assert.Contains("activity 'SayHello'", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("activity 'Square'", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instances_waiting_at_a_restart_all_finish_afterwards()
    {
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await Engine.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", $"r{i}"));
        }

        foreach (var id in ids)
        {
            await _host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        }

        await _host.RestartAsync();
        foreach (var id in ids)
        {
            await Engine.RaiseEventAsync(id, "Approval", id);
        }

        foreach (var id in ids)
        {
            Assert.Equal(id, (await _host.WaitAsync(id)).ReadOutputAs<string>());
        }
    }

    [Fact]
    public async Task An_activity_whose_result_was_not_committed_before_a_crash_runs_again()
    {
        TestWorkflows.Release = new TaskCompletionSource();
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("Blocking", 0);
        await _host.WaitUntilAsync(id, _ => TestWorkflows.BlockRuns.GetValueOrDefault(id) == 1);

        var crash = _host.CrashAsync();
        TestWorkflows.Release.TrySetResult();
        await crash;
        await _host.StartAsync();

        Assert.Equal("released", (await _host.WaitAsync(id)).ReadOutputAs<string>());
        Assert.Equal(2, TestWorkflows.BlockRuns[id]);
    }

    [Fact]
    public async Task An_activity_whose_result_was_committed_does_not_run_again_after_a_restart()
    {
        TestWorkflows.Release = new TaskCompletionSource();
        TestWorkflows.Release.TrySetResult();
        var id = await Engine.ScheduleNewOrchestrationInstanceAsync("BlockThenAwait", 0);
        await _host.WaitUntilAsync(id, _ => TestWorkflows.BlockRuns.GetValueOrDefault(id) == 1 && _host.PendingActivities(id) == 0);

        await _host.RestartAsync();
        await Engine.RaiseEventAsync(id, "Go", "go");

        Assert.Equal("released then go", (await _host.WaitAsync(id)).ReadOutputAs<string>());
        Assert.Equal(1, TestWorkflows.BlockRuns[id]);
    }
}
