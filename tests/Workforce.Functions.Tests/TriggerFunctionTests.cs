using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Queues;
using Workforce.Core.Retention;
using Workforce.Core.Scheduling;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Orchestrations;
using Workforce.Orchestrations.Scheduling;
using Workforce.Orchestrations.TaskLifecycle;
using TaskOptions = Workforce.Core.Tasks.TaskOptions;

namespace Workforce.Functions.Tests;

/// <summary>The non-HTTP functions agree with the shared declarations: workflows, schedules and queues.</summary>
public sealed class TriggerFunctionTests
{
    /// <summary>The workflows as a host registers them, on stand-ins for storage and the orchestration client.</summary>
    private static readonly ServiceProvider Workflows = new ServiceCollection()
        .AddLogging()
        .AddWorkforceCore()
        .AddSingleton(new TaskOptions())
        .AddSingleton(new LeaseOptions())
        .AddSingleton(new AgentOptions())
        .AddSingleton(new RetentionOptions())
        .AddSingleton(new LifecycleOptions())
        .AddSingleton(Mock.Of<IWorkforceStore>())
        .AddSingleton(Mock.Of<IWorkQueues>())
        .AddSingleton(new Mock<DurableTaskClient>("test").Object)
        .AddWorkforceWorkflows()
        .BuildServiceProvider();

    [Fact]
    public void Each_orchestrator_function_runs_a_registered_workflow_and_each_workflow_has_one()
    {
        var registered = new DurableTaskRegistry().AddWorkforceWorkflows().GetOrchestrators().Select(o => o.Key.Name).Order().ToList();
        var functions = FunctionSources.Functions.Where(f => f.Has("OrchestrationTrigger")).ToList();

        Assert.Equal(registered, functions.Select(f => f.Name).Order());
        Assert.All(functions, f => Assert.Contains($"workflows.RunAsync<", f.Parameters, StringComparison.Ordinal));
    }

    [Fact]
    public void Each_activity_function_runs_a_registered_activity_and_each_activity_has_one()
    {
        var registered = new DurableTaskRegistry().AddWorkforceWorkflows().GetActivities().Select(a => a.Key.Name).Order();
        var functions = FunctionSources.Functions.Where(f => f.Has("ActivityTrigger")).Select(f => f.Name).Order();

        Assert.Equal(registered, functions);
    }

    [Fact]
    public void Each_timer_function_fires_on_a_shared_schedule_and_each_job_has_one()
    {
        var timers = FunctionSources.Functions.Where(f => f.Has("TimerTrigger")).ToList();

        Assert.All(timers, f => Assert.Matches(@"^ScheduledJobs\.\w+Schedule$", f.Trigger("TimerTrigger").Groups["args"].Value));
        Assert.Equal(
            ScheduledJobs.All.Select(job => job.Schedule).Order(),
            timers.Select(f => FunctionSources.Resolve(f.Trigger("TimerTrigger").Groups["args"].Value)).Order());
        Assert.All(ScheduledJobs.All, job => Assert.Single(timers, f => f.Parameters.Contains($"ScheduledJobs.{job.Name},", StringComparison.Ordinal)));
    }

    [Fact]
    public void Each_work_queue_has_one_trigger_that_settles_its_messages_itself()
    {
        var triggers = FunctionSources.Functions.Where(f => f.Has("ServiceBusTrigger")).Select(f => f.Trigger("ServiceBusTrigger")).ToList();

        Assert.Equal(WorkQueues.All.Select(q => q.Name).Order(), triggers.Select(t => FunctionSources.Resolve(t.Groups["args"].Value.Split(',')[0])).Order());
        Assert.All(triggers, t =>
        {
            Assert.Equal("false", FunctionSources.Argument(t, "AutoCompleteMessages"));
            Assert.Equal("Settings.ServiceBus", FunctionSources.Argument(t, "Connection"));
        });
    }
}
