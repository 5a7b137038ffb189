using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workforce.Orchestrations;
using Workforce.Testing.Durable;

namespace Workforce.Durable.Tests;

/// <summary>
/// What a durable engine does, asserted the same way on the embedded engine and on Durable Task's own: the embedded
/// engine is only right where it behaves as the real one does.
/// </summary>
public abstract class EngineContract(EngineKind kind) : IAsyncLifetime
{
    protected WorkflowEngine Engine { get; private set; } = null!;

    private DurableTaskClient Client => Engine.Client;

    public async ValueTask InitializeAsync() => Engine = await WorkflowEngine.StartAsync(kind, TestWorkflows.Register);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Sequential_activities_run_in_order_and_the_output_is_recorded()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Sequence", new[] { "Tokyo", "Seattle", "London" });

        var done = await Engine.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("Hello Tokyo! Hello Seattle! Hello London!", done.ReadOutputAs<string>());
        Assert.Equal("""["Tokyo","Seattle","London"]""", done.SerializedInput);
    }

    [Fact]
    public async Task Fan_out_runs_activities_in_parallel_and_fans_their_results_in()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 100);

        var done = await Engine.WaitForCompletionAsync(id);

        Assert.Equal(Enumerable.Range(0, 100).Sum(i => i * i), done.ReadOutputAs<int>());
        Assert.True(TestWorkflows.MaxParallelSquares[id] >= 2, $"At most {TestWorkflows.MaxParallelSquares[id]} activities ran at once.");
    }

    [Fact]
    public async Task A_durable_timer_fires_when_its_time_comes_and_not_before()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Sleep", 2);
        await Engine.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await Engine.PassAsync(TimeSpan.FromSeconds(1));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(id))!.RuntimeStatus);

        await Engine.PassAsync(TimeSpan.FromSeconds(1));
        Assert.InRange((await Engine.WaitForCompletionAsync(id)).ReadOutputAs<double>(), 2, 10);
    }

    [Fact]
    public async Task An_external_event_completes_the_wait_with_its_payload()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "order-1");
        await Engine.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await Client.RaiseEventAsync(id, "approval", "approved by ops");

        Assert.Equal("approved by ops", (await Engine.WaitForCompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task An_event_that_arrives_before_the_wait_is_kept_for_it()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("NapThenAwait", 1);
        await Engine.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        await Client.RaiseEventAsync(id, "Approval", "early");

        Assert.Equal("early", (await Engine.RunToCompletionAsync(id, TimeSpan.FromSeconds(1))).ReadOutputAs<string>());
    }

    [Fact]
    public async Task An_event_sent_by_one_orchestration_reaches_another()
    {
        var waiting = await Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "x");
        await Engine.WaitUntilAsync(waiting, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        var sender = await Client.ScheduleNewOrchestrationInstanceAsync("Forwarder", waiting);

        Assert.Equal("sent", (await Engine.WaitForCompletionAsync(sender)).ReadOutputAs<string>());
        Assert.Equal($"forwarded by {sender}", (await Engine.WaitForCompletionAsync(waiting)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_wait_with_a_timeout_gives_up_when_the_timer_fires_first()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("AwaitWithTimeout", 1);
        await Engine.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        Assert.Equal("timed out", (await Engine.RunToCompletionAsync(id, TimeSpan.FromSeconds(1))).ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_sub_orchestration_returns_its_result_to_the_parent()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Parent", "Lima");

        Assert.Equal("Hello Lima!", (await Engine.WaitForCompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_failing_sub_orchestration_surfaces_as_a_task_failure_in_the_parent()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Parent", "boom");

        Assert.Equal("child failed: boom", (await Engine.WaitForCompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_failing_activity_is_retried_after_its_backoff_delays()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Flaky", 2);

        var done = await Engine.RunToCompletionAsync(id, TimeSpan.FromMilliseconds(250));

        Assert.Equal("succeeded on attempt 3", done.ReadOutputAs<string>());
        var attempts = TestWorkflows.Attempts[id].ToArray();
        Assert.True(attempts[1] - attempts[0] >= TimeSpan.FromSeconds(1), $"The first retry came after {attempts[1] - attempts[0]}.");
        Assert.True(attempts[2] - attempts[1] >= TimeSpan.FromSeconds(2), $"The second retry came after {attempts[2] - attempts[1]}.");
    }

    [Fact]
    public async Task An_activity_failing_more_often_than_its_policy_allows_fails_the_orchestration()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Flaky", 5);

        var done = await Engine.RunToCompletionAsync(id, TimeSpan.FromMilliseconds(250));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("attempt 3 failed", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(3, TestWorkflows.Attempts[id].Count);
    }

    [Fact]
    public async Task Continue_as_new_restarts_with_the_new_input()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Counter", 0);

        var done = await Engine.WaitForCompletionAsync(id);

        Assert.Equal(5, done.ReadOutputAs<int>());
        Assert.Equal("5", done.SerializedInput);
    }

    [Fact]
    public async Task A_terminated_instance_stops_waiting()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "order-3");
        await Engine.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await Client.TerminateInstanceAsync(id, "no longer needed");

        var done = await Engine.WaitForCompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("no longer needed", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task An_unfinished_instance_id_cannot_be_started_twice_but_a_finished_one_can_run_again()
    {
        var id = $"job-{Guid.NewGuid():N}";
        Assert.True(await Client.TryStartAsync("AwaitApproval", id, "x"));
        await Engine.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        Assert.False(await Client.TryStartAsync("AwaitApproval", id, "y"));
        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => Client.ScheduleNewOrchestrationInstanceAsync(
            "AwaitApproval", "z", new StartOrchestrationOptions(id).WithDedupeStatuses(OrchestrationRuntimeStatus.Running)));

        await Client.RaiseEventAsync(id, "Approval", "first");
        Assert.Equal("first", (await Engine.WaitForCompletionAsync(id)).ReadOutputAs<string>());
        Assert.True(await Client.TryStartAsync("Sequence", id, new[] { "again" }));
        await Engine.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed && m.ReadOutputAs<string>() == "Hello again!", "the second run's output");
    }

    [Fact]
    public async Task A_finished_instance_whose_status_is_a_dedupe_status_is_not_started_again()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Sequence", new[] { "once" }, new StartOrchestrationOptions($"once-{Guid.NewGuid():N}"));
        await Engine.WaitForCompletionAsync(id);

        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => Client.ScheduleNewOrchestrationInstanceAsync(
            "Sequence", new[] { "twice" }, new StartOrchestrationOptions(id).WithDedupeStatuses(OrchestrationRuntimeStatus.Completed)));
        Assert.Equal("Hello once!", (await Client.GetInstanceAsync(id, getInputsAndOutputs: true))!.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Purging_removes_finished_instances_only()
    {
        var finished = await Client.ScheduleNewOrchestrationInstanceAsync("Sequence", new[] { "a" });
        await Engine.WaitForCompletionAsync(finished);
        var running = await Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "y");
        await Engine.WaitUntilAsync(running, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        Assert.Equal(1, (await Client.PurgeInstanceAsync(finished)).PurgedInstanceCount);
        var refused = await Client.PurgeInstanceAsync(running);

        Assert.Null(await Client.GetInstanceAsync(finished));
        Assert.Equal(0, refused.PurgedInstanceCount);
        Assert.NotNull(await Client.GetInstanceAsync(running));
    }

    [Fact]
    public async Task Queries_filter_by_prefix_and_status_and_page()
    {
        var prefix = $"tenant-{Guid.NewGuid():N}:";
        for (var i = 0; i < 5; i++)
        {
            await Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "q", new StartOrchestrationOptions($"{prefix}{i}"));
        }

        await Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "q", new StartOrchestrationOptions($"other-{prefix}0"));
        await Engine.WaitUntilAsync($"{prefix}4", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        var ids = new List<string>();
        await foreach (var page in Client.GetAllInstancesAsync(new OrchestrationQuery(InstanceIdPrefix: prefix, PageSize: 2)).AsPages())
        {
            Assert.InRange(page.Values.Count, 0, 2);
            ids.AddRange(page.Values.Select(i => i.InstanceId));
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{prefix}{i}"), ids.Order());
        var completed = Client.GetAllInstancesAsync(new OrchestrationQuery(InstanceIdPrefix: prefix, Statuses: [OrchestrationRuntimeStatus.Completed]));
        Assert.Empty(await completed.ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_unknown_instance_has_no_metadata()
    {
        Assert.Null(await Client.GetInstanceAsync($"nobody-{Guid.NewGuid():N}"));
    }

    [Fact]
    public async Task Replay_gives_the_same_time_and_guids_and_says_it_is_replaying()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Replay", "r");
        await Engine.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        await Engine.PassAsync(TimeSpan.FromSeconds(1));

        await Client.RaiseEventAsync(id, "Go", "now");
        var output = (await Engine.WaitForCompletionAsync(id)).ReadOutputAs<string[]>()!;

        var runs = TestWorkflows.Observed.Where(o => o.InstanceId == id).ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal([false, true], runs.Select(r => r.IsReplaying));
        Assert.Single(runs.Select(r => r.Guid).Distinct());
        Assert.Single(runs.Select(r => r.Time).Distinct());
        Assert.Equal(runs[0].Guid.ToString(), output[0]);
    }
}

public sealed class EmbeddedEngineContractTests() : EngineContract(EngineKind.Embedded);

public sealed class DurableTaskEngineContractTests() : EngineContract(EngineKind.DurableTask);
