using Workforce.Core.Queues;
using Workforce.Orchestrations.Scheduling;

namespace Workforce.Functions.Tests;

/// <summary>The non-HTTP functions, as the host is told about them, agree with the shared declarations: workflows, schedules and queues.</summary>
public sealed class TriggerFunctionTests
{
    [Fact]
    public void Every_function_has_exactly_one_trigger_of_a_type_the_app_uses()
    {
        Assert.All(FunctionsBuild.Functions, f => Assert.Single(f.Bindings, b => b.Text("type").EndsWith("Trigger", StringComparison.Ordinal)));
        Assert.Equal(
            ["activityTrigger", "httpTrigger", "orchestrationTrigger", "serviceBusTrigger", "timerTrigger"],
            FunctionsBuild.Functions.Select(f => f.TriggerType).Distinct().Order());
    }

    [Fact]
    public void Each_orchestrator_function_runs_a_registered_workflow_and_each_workflow_has_one()
    {
        var orchestrators = FunctionsBuild.Functions.Where(f => f.TriggerType == "orchestrationTrigger").ToList();

        Assert.Equal(RegisteredWorkflows.Orchestrators, orchestrators.Select(f => f.Name).Order());
        // Orchestrators are replayed: they may bind nothing else, a Durable client least of all.
        Assert.All(orchestrators, f => Assert.Single(f.Bindings));
    }

    [Fact]
    public void Each_activity_function_runs_a_registered_activity_and_each_activity_has_one()
    {
        var activities = FunctionsBuild.Functions.Where(f => f.TriggerType == "activityTrigger").ToList();

        Assert.Equal(RegisteredWorkflows.Activities, activities.Select(f => f.Name).Order());
        Assert.All(activities, f => Assert.All(f.Bindings.Except([f.Trigger]), b => Assert.Equal(("durableClient", "In"), (b.Text("type"), b.Text("direction")))));
    }

    [Fact]
    public void Each_timer_function_fires_on_a_shared_schedule_and_each_job_has_one()
    {
        var timers = FunctionsBuild.Functions.Where(f => f.TriggerType == "timerTrigger").ToList();

        Assert.Equal(ScheduledJobs.All.Select(job => job.Schedule).Order(), timers.Select(f => f.Trigger.Text("schedule")).Order());
        Assert.All(timers, f => Assert.Single(f.Of("durableClient")));
    }

    [Fact]
    public void Each_work_queue_has_one_trigger_that_settles_its_messages_itself()
    {
        var triggers = FunctionsBuild.Functions.Where(f => f.TriggerType == "serviceBusTrigger").ToList();

        Assert.Equal(WorkQueues.All.Select(q => q.Name).Order(), triggers.Select(f => f.Trigger.Text("queueName")).Order());
        Assert.All(triggers, f =>
        {
            var trigger = f.Trigger;
            Assert.Equal(FunctionsBuild.Settings["ServiceBus"], trigger.Text("connection"));
            Assert.False(trigger["autoCompleteMessages"]!.GetValue<bool>());
            Assert.Equal("One", trigger.Text("cardinality"));
            // The worker binds ServiceBusReceivedMessage itself (deferred binding), which is what settling needs.
            Assert.Equal("True", trigger["properties"]!.AsObject().Text("supportsDeferredBinding"));
            Assert.Single(f.Of("durableClient"));
        });
    }

    [Fact]
    public void The_task_queue_triggers_start_lifecycles_and_bind_nothing_else()
    {
        var triggers = FunctionsBuild.Functions.Where(f => f.TriggerType == "serviceBusTrigger" && WorkQueues.Tasks.Any(q => q.Name == f.Trigger.Text("queueName"))).ToList();

        Assert.Equal(WorkQueues.Tasks.Count, triggers.Count);
        Assert.All(triggers, f => Assert.Equal(["serviceBusTrigger", "durableClient"], f.Bindings.Select(b => b.Text("type"))));
    }

    [Fact]
    public void The_notification_queue_triggers_push_the_events_they_fan_out_to_the_hub()
    {
        var triggers = FunctionsBuild.Functions.Where(f => f.TriggerType == "serviceBusTrigger" && WorkQueues.NotificationEvents.Any(q => q.Name == f.Trigger.Text("queueName"))).ToList();

        Assert.Equal(WorkQueues.NotificationEvents.Count, triggers.Count);
        Assert.All(triggers, f =>
        {
            Assert.Equal([("serviceBusTrigger", "In"), ("durableClient", "In"), ("signalR", "Out")], f.Bindings.Select(b => (b.Text("type"), b.Text("direction"))));
            var updates = f.Of("signalR").Single();
            Assert.Equal(("$return", "workforce"), (updates.Text("name"), updates.Text("hubName")));
            Assert.Equal(FunctionsBuild.Settings["SignalR"], updates.Text("connectionStringSetting"));
        });
    }
}
