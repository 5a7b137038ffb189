using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Queues;
using Workforce.Core.Tasks;
using Workforce.Orchestrations.Durable;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Durable.Tests;

/// <summary>The task lifecycle workflow on the embedded engine, driven through the platform's use cases.</summary>
public sealed class TaskLifecycleTests : IAsyncLifetime
{
    private PlatformHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await new PlatformHost().StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Submission_starts_a_lifecycle_that_ends_when_the_task_completes()
    {
        var task = await _host.SubmitAsync(new SubmitTaskCommand("report"));
        await _host.LifecycleWatching(task.Id, revision: 1);
        var agent = await _host.RegisterAsync();
        var caller = Caller.Agent(PlatformHost.TenantId, agent.Id);

        await _host.LeaseAsync(agent);
        await _host.Get<MoveTask>().StartAsync(caller, task.Id);
        await _host.Get<MoveTask>().CompleteAsync(caller, task.Id, new CompleteTaskCommand(new RawJson("1")));

        var lifecycle = await _host.Orchestrations.WaitForInstanceCompletionAsync(TaskLifecycleInstance.Id(PlatformHost.TenantId, task.Id), true)
            .WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, lifecycle.RuntimeStatus);
        Assert.Equal(TaskState.Completed, lifecycle.ReadOutputAs<TaskLifecycleOutcome>()!.State);
        Assert.Equal(0, (await _host.Get<IWorkQueues>().CountAsync(PlatformHost.TenantId)).Sum(c => c.Active));
    }

    [Fact]
    public async Task An_assignment_never_started_is_retried_when_the_window_closes()
    {
        var task = await _host.SubmitAsync(new SubmitTaskCommand("forgotten"));
        await _host.LifecycleWatching(task.Id, revision: 1);
        await _host.LeaseAsync(await _host.RegisterAsync());
        await _host.LifecycleWatching(task.Id, revision: 2);

        _host.Clock.Advance(_host.TaskOptions.AssignmentTimeout);

        await PlatformHost.Eventually(async () => (await _host.FindAsync(task.Id))!.State == TaskState.Pending, "the task is back in the queue");
        var retried = await _host.FindAsync(task.Id);
        Assert.Contains("did not start", retried!.Error, StringComparison.Ordinal);
        Assert.Equal(1, retried.Attempt);
        await _host.LifecycleWatching(task.Id, revision: 3);
    }

    [Fact]
    public async Task A_task_outliving_its_timeout_on_its_last_attempt_is_dead_lettered_as_failed()
    {
        var task = await _host.SubmitAsync(new SubmitTaskCommand("slow", TimeoutSeconds: 30, MaxRetries: 0));
        var agent = await _host.RegisterAsync();
        await _host.LeaseAsync(agent);
        await _host.Get<MoveTask>().StartAsync(Caller.Agent(PlatformHost.TenantId, agent.Id), task.Id);
        await _host.LifecycleWatching(task.Id, revision: 3);

        _host.Clock.Advance(TimeSpan.FromSeconds(30));

        var lifecycle = await _host.Orchestrations.WaitForInstanceCompletionAsync(TaskLifecycleInstance.Id(PlatformHost.TenantId, task.Id), true)
            .WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        var outcome = lifecycle.ReadOutputAs<TaskLifecycleOutcome>()!;
        Assert.Equal(TaskState.Failed, outcome.State);
        Assert.Equal("The task did not complete within its timeout of 30 s.", outcome.Error);
        Assert.Equal(TaskState.Failed, (await _host.FindAsync(task.Id))!.State);
    }

    [Fact]
    public async Task A_change_whose_notification_was_lost_is_noticed_at_the_idle_recheck()
    {
        var task = await _host.SubmitAsync(new SubmitTaskCommand("quiet"));
        await _host.LifecycleWatching(task.Id, revision: 1);
        var cancelledWithoutNotice = task.Cancel(_host.Clock.GetUtcNow());
        await _host.Get<Core.Storage.IWorkforceStore>().TransactAsync(PlatformHost.TenantId, tx =>
        {
            tx.Update(cancelledWithoutNotice);
            return ValueTask.FromResult(0);
        });

        _host.Clock.Advance(_host.LifecycleOptions.IdleRecheck);

        var lifecycle = await _host.Orchestrations.WaitForInstanceCompletionAsync(TaskLifecycleInstance.Id(PlatformHost.TenantId, task.Id), true)
            .WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(TaskState.Cancelled, lifecycle.ReadOutputAs<TaskLifecycleOutcome>()!.State);
    }

    [Fact]
    public async Task The_liveness_job_fails_over_the_tasks_of_a_silent_agent()
    {
        var task = await _host.SubmitAsync(new SubmitTaskCommand("orphaned"));
        var silent = await _host.RegisterAsync();
        await _host.LeaseAsync(silent);
        await _host.Get<MoveTask>().StartAsync(Caller.Agent(PlatformHost.TenantId, silent.Id), task.Id);

        // Past the heartbeat timeout, and past the 30-second schedule so the job fires.
        _host.Clock.Advance(TimeSpan.FromSeconds(91));

        await PlatformHost.Eventually(async () => (await _host.FindAsync(task.Id))!.State == TaskState.Pending, "the task failed over");
        var agent = await _host.Get<Core.Storage.IWorkforceStore>().FindAgentAsync(PlatformHost.TenantId, silent.Id);
        Assert.Equal(AgentStatus.Offline, agent!.Status);
        Assert.Contains("went offline", (await _host.FindAsync(task.Id))!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cleanup_job_purges_what_is_past_retention()
    {
        var task = await _host.SubmitAsync(new SubmitTaskCommand("old"));
        await _host.LifecycleWatching(task.Id, revision: 1);
        await _host.Get<MoveTask>().CancelAsync(PlatformHost.Tenant, task.Id);
        await PlatformHost.Eventually(async () => (await _host.LifecycleOf(task.Id))?.IsCompleted == true, "the lifecycle finished");

        _host.Clock.Advance(_host.Retention.FinishedTasks + TimeSpan.FromMinutes(5));

        await PlatformHost.Eventually(async () => await _host.FindAsync(task.Id) is null, "the finished task was purged");
        await PlatformHost.Eventually(async () => await _host.LifecycleOf(task.Id) is null, "its lifecycle history was purged");
    }
}
