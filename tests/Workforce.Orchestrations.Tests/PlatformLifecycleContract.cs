using Microsoft.DurableTask.Client;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Orchestrations.Scheduling;
using Workforce.Orchestrations.TaskLifecycle;
using Workforce.Testing.Durable;

namespace Workforce.Orchestrations.Tests;

/// <summary>The task lifecycle and the periodic jobs through the platform's use cases, on each engine.</summary>
public abstract class PlatformLifecycleContract(EngineKind kind) : IAsyncLifetime
{
    private Platform _platform = null!;

    public async ValueTask InitializeAsync() => _platform = await Platform.StartAsync(kind);

    public async ValueTask DisposeAsync()
    {
        await _platform.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_pending_task_without_a_deadline_gets_its_lifecycle_when_first_leased_and_it_ends_with_the_task()
    {
        var task = await _platform.SubmitAsync(new SubmitTaskCommand("report"));
        // Submitted after it, on the same work queue: once this one is watched, the first had its chance.
        var withDeadline = await _platform.SubmitAsync(new SubmitTaskCommand("report", Deadline: _platform.Clock.GetUtcNow().AddHours(1)));
        await _platform.LifecycleWatching(withDeadline.Id, revision: 1);
        Assert.Null(await _platform.LifecycleOf(task.Id));
        var agent = await _platform.RegisterAsync();
        var caller = Caller.Agent(Platform.TenantId, agent.Id);

        await _platform.LeaseAsync(agent);
        await _platform.LifecycleWatching(task.Id, revision: 2);
        await _platform.Get<MoveTask>().StartAsync(caller, task.Id);
        await _platform.Get<MoveTask>().CompleteAsync(caller, task.Id, new CompleteTaskCommand(new RawJson("1")));

        var lifecycle = await _platform.LifecycleEndAsync(task.Id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, lifecycle.RuntimeStatus);
        Assert.Equal(TaskState.Completed, lifecycle.ReadOutputAs<TaskLifecycleOutcome>()!.State);
        Assert.Equal(0, (await _platform.Get<IWorkQueues>().CountAsync(Platform.TenantId)).Sum(c => c.Active));
    }

    [Fact]
    public async Task An_assignment_never_started_is_retried_when_the_window_closes()
    {
        var task = await _platform.SubmitAsync(new SubmitTaskCommand("forgotten"));
        await _platform.LeaseAsync(await _platform.RegisterAsync());
        await _platform.LifecycleWatching(task.Id, revision: 2);

        await _platform.Engine.PassAsync(Platform.TaskOptions.AssignmentTimeout);

        await WorkflowEngine.EventuallyAsync(async () => (await _platform.FindAsync(task.Id))!.State == TaskState.Pending, "the task is back in the queue");
        var retried = await _platform.FindAsync(task.Id);
        Assert.Contains("did not start", retried!.Error, StringComparison.Ordinal);
        Assert.Equal(1, retried.Attempt);
        await _platform.LifecycleWatching(task.Id, revision: 3);
    }

    [Fact]
    public async Task A_task_outliving_its_timeout_on_its_last_attempt_is_dead_lettered_as_failed()
    {
        var task = await _platform.SubmitAsync(new SubmitTaskCommand("slow", TimeoutSeconds: 2, MaxRetries: 0));
        var agent = await _platform.RegisterAsync();
        await _platform.LeaseAsync(agent);
        await _platform.Get<MoveTask>().StartAsync(Caller.Agent(Platform.TenantId, agent.Id), task.Id);
        await _platform.LifecycleWatching(task.Id, revision: 3);

        var lifecycle = await _platform.LifecycleEndAsync(task.Id);

        var outcome = lifecycle.ReadOutputAs<TaskLifecycleOutcome>()!;
        Assert.Equal(TaskState.Failed, outcome.State);
        Assert.Equal("The task did not complete within its timeout of 2 s.", outcome.Error);
        Assert.Equal(TaskState.Failed, (await _platform.FindAsync(task.Id))!.State);
    }

    [Fact]
    public async Task A_change_whose_notification_was_lost_is_noticed_at_the_idle_recheck()
    {
        var task = await _platform.SubmitAsync(new SubmitTaskCommand("quiet", Deadline: _platform.Clock.GetUtcNow().AddDays(1)));
        await _platform.LifecycleWatching(task.Id, revision: 1);
        var cancelledWithoutNotice = task.Cancel(_platform.Clock.GetUtcNow());
        await _platform.Get<IWorkforceStore>().TransactAsync(Platform.TenantId, tx =>
        {
            tx.Update(cancelledWithoutNotice);
            return ValueTask.FromResult(0);
        });

        var lifecycle = await _platform.LifecycleEndAsync(task.Id);

        Assert.Equal(TaskState.Cancelled, lifecycle.ReadOutputAs<TaskLifecycleOutcome>()!.State);
    }

    [Fact]
    public async Task The_liveness_job_fails_over_the_tasks_of_a_silent_agent()
    {
        var task = await _platform.SubmitAsync(new SubmitTaskCommand("orphaned"));
        var silent = await _platform.RegisterAsync();
        await _platform.LeaseAsync(silent);
        await _platform.Get<MoveTask>().StartAsync(Caller.Agent(Platform.TenantId, silent.Id), task.Id);

        await _platform.Engine.PassAsync(Platform.AgentOptions.HeartbeatTimeout + TimeSpan.FromSeconds(1));
        await _platform.Get<IScheduledJobRunner>().RunAsync(ScheduledJobs.AgentLiveness, new JobFiring(IsPastDue: false, LastRun: null));

        await WorkflowEngine.EventuallyAsync(async () => (await _platform.FindAsync(task.Id))!.State == TaskState.Pending, "the task failed over");
        var agent = await _platform.Get<IWorkforceStore>().FindAgentAsync(Platform.TenantId, silent.Id);
        Assert.Equal(AgentStatus.Offline, agent!.Status);
        Assert.Contains("went offline", (await _platform.FindAsync(task.Id))!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cleanup_job_purges_what_is_past_retention()
    {
        var task = await _platform.SubmitAsync(new SubmitTaskCommand("old", Deadline: _platform.Clock.GetUtcNow().AddDays(1)));
        await _platform.LifecycleWatching(task.Id, revision: 1);
        await _platform.Get<MoveTask>().CancelAsync(Platform.Tenant, task.Id);
        await WorkflowEngine.EventuallyAsync(async () => (await _platform.LifecycleOf(task.Id))?.IsCompleted == true, "the lifecycle finished");

        await _platform.Engine.PassAsync(Platform.Retention.FinishedTasks + TimeSpan.FromSeconds(1));
        await _platform.Get<IScheduledJobRunner>().RunAsync(ScheduledJobs.Cleanup, new JobFiring(IsPastDue: false, LastRun: null));

        await WorkflowEngine.EventuallyAsync(async () => await _platform.FindAsync(task.Id) is null, "the finished task was purged");
        await WorkflowEngine.EventuallyAsync(async () => await _platform.LifecycleOf(task.Id) is null, "its lifecycle history was purged");
    }
}

public sealed class EmbeddedPlatformLifecycleTests() : PlatformLifecycleContract(EngineKind.Embedded);

public sealed class DurableTaskPlatformLifecycleTests() : PlatformLifecycleContract(EngineKind.DurableTask);
