using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workforce.Core.Telemetry;
using Workforce.Durable.Runtime;
using Workforce.Testing.Durable;

namespace Workforce.Durable.Tests;

/// <summary>
/// What only the embedded engine can show, because its clock and its file are the test's: exact timer and backoff
/// times, its concurrency limit, what survives a restart or a crash, and how it refuses changed orchestrator code.
/// </summary>
public sealed class EmbeddedEngineTests : IAsyncLifetime
{
    private EmbeddedWorkflowEngine _engine = null!;

    private DurableTaskClient Client => _engine.Client;

    public async ValueTask InitializeAsync() => _engine = (EmbeddedWorkflowEngine)await WorkflowEngine.StartAsync(EngineKind.Embedded, TestWorkflows.Register);

    public async ValueTask DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Fan_out_stays_within_the_activity_limit()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 100);

        await _engine.WaitForCompletionAsync(id);

        Assert.InRange(TestWorkflows.MaxParallelSquares[id], 2, 8);
    }

    [Fact]
    public async Task A_retry_waits_exactly_its_backoff()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Flaky", 2);
        await _engine.WaitUntilAsync(id, _ => _engine.PendingTimers(id) == 1, "the first backoff timer");

        await _engine.PassAsync(TimeSpan.FromSeconds(1));
        await _engine.WaitUntilAsync(id, _ => TestWorkflows.Attempts[id].Count == 2 && _engine.PendingTimers(id) == 1, "the second backoff timer");
        await _engine.PassAsync(TimeSpan.FromSeconds(1.9));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(2, TestWorkflows.Attempts[id].Count);
        await _engine.PassAsync(TimeSpan.FromSeconds(0.1));

        Assert.Equal("succeeded on attempt 3", (await _engine.WaitForCompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Continue_as_new_keeps_only_the_last_execution_history()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Counter", 0);

        await _engine.WaitForCompletionAsync(id);

        Assert.Equal(3, _engine.HistoryLength(id));
    }

    [Fact]
    public async Task A_durable_timer_survives_a_restart()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Sleep", 600);
        await _engine.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await _engine.RestartAsync();
        await _engine.PassAsync(TimeSpan.FromMinutes(10));

        Assert.Equal(600, (await _engine.WaitForCompletionAsync(id)).ReadOutputAs<double>());
    }

    [Fact]
    public async Task A_start_without_dedupe_statuses_is_refused_for_an_unfinished_instance()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "x", new StartOrchestrationOptions("held"));

        await Assert.ThrowsAsync<DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException>(
            () => Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "y", new StartOrchestrationOptions(id)));
    }

    [Fact]
    public async Task An_orchestrator_that_changed_under_a_running_instance_fails_it_with_a_clear_error()
    {
        TestWorkflows.ChangedCode = false;
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Changing", "c");
        // Started, scheduled the activity, consumed its result: five events, now waiting for Go.
        await _engine.WaitUntilAsync(id, _ => _engine.HistoryLength(id) == 5, "five history events");

        TestWorkflows.ChangedCode = true;
        await _engine.RestartAsync();
        await Client.RaiseEventAsync(id, "Go", "now");
        var done = await _engine.WaitForCompletionAsync(id);
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
            ids.Add(await Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", $"r{i}"));
        }

        foreach (var id in ids)
        {
            await _engine.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        }

        await _engine.RestartAsync();
        foreach (var id in ids)
        {
            await Client.RaiseEventAsync(id, "Approval", id);
        }

        foreach (var id in ids)
        {
            Assert.Equal(id, (await _engine.WaitForCompletionAsync(id)).ReadOutputAs<string>());
        }
    }

    [Fact]
    public async Task An_instance_resumed_after_a_restart_stays_in_the_trace_it_was_started_in()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkforceTraces.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        string id;
        ActivityTraceId traceId;
        using (var submission = WorkforceTraces.Source.StartActivity("test.submission"))
        {
            traceId = submission!.TraceId;
            id = await Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", "traced");
        }

        await _engine.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        await _engine.RestartAsync();
        spans.Clear();
        await Client.RaiseEventAsync(id, "Approval", "after the restart");
        await _engine.WaitForCompletionAsync(id);

        var resumed = Assert.Single(spans, s => s.OperationName == "workflow.episode AwaitApproval" && (string?)s.GetTagItem("workflow.instance.id") == id);
        Assert.Equal(traceId, resumed.TraceId);
    }

    [Fact]
    public async Task An_activity_whose_result_was_not_committed_before_a_crash_runs_again()
    {
        TestWorkflows.Release = new TaskCompletionSource();
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Blocking", 0);
        await WorkflowEngine.EventuallyAsync(() => Task.FromResult(TestWorkflows.BlockRuns.GetValueOrDefault(id) == 1), "the activity ran once");

        var crash = _engine.CrashAsync();
        TestWorkflows.Release.TrySetResult();
        await crash;
        await _engine.StartAsync();

        Assert.Equal("released", (await _engine.WaitForCompletionAsync(id)).ReadOutputAs<string>());
        Assert.Equal(2, TestWorkflows.BlockRuns[id]);
    }

    [Fact]
    public async Task An_activity_whose_result_was_committed_does_not_run_again_after_a_restart()
    {
        TestWorkflows.Release = new TaskCompletionSource();
        TestWorkflows.Release.TrySetResult();
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("BlockThenAwait", 0);
        await _engine.WaitUntilAsync(id, _ => TestWorkflows.BlockRuns.GetValueOrDefault(id) == 1 && _engine.PendingActivities(id) == 0, "the activity's result committed");

        await _engine.RestartAsync();
        await Client.RaiseEventAsync(id, "Go", "go");

        Assert.Equal("released then go", (await _engine.WaitForCompletionAsync(id)).ReadOutputAs<string>());
        Assert.Equal(1, TestWorkflows.BlockRuns[id]);
    }

    [Fact]
    public async Task Suspending_is_refused_with_a_clear_error()
    {
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => Client.SuspendInstanceAsync("any", "maintenance"));

        Assert.Contains("terminate", refused.Message, StringComparison.Ordinal);
    }
}
