extern alias FunctionsApp;

using System.Net;
using FunctionsApp::Workforce.Functions.Agents;
using FunctionsApp::Workforce.Functions.Analytics;
using FunctionsApp::Workforce.Functions.Tasks;
using FunctionsApp::Workforce.Functions.Scheduling;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Core.Queues;
using Workforce.Orchestrations;
using Workforce.Orchestrations.Cleanup;
using Workforce.Orchestrations.Scheduling;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>Each timer function starts its job's orchestration, which runs the app's activity functions on Durable Task's engine.</summary>
public sealed class ScheduledJobFunctionTests
{
    [Fact]
    public async Task The_agent_liveness_timer_takes_an_agent_silent_past_its_heartbeat_timeout_offline()
    {
        await using var app = await FunctionsApp.StartAsync(fakeClock: true);
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        var silent = (await app.HttpAsync<AgentFunctions>(nameof(AgentFunctions.RegisterAgent), FunctionRequest.Post("v1/agents", tenant.Key, new { name = "silent" })))
            .Expect(HttpStatusCode.Created).Id();
        app.FakeClock.Advance(TimeSpan.FromMinutes(2));
        var alive = (await app.HttpAsync<AgentFunctions>(nameof(AgentFunctions.RegisterAgent), FunctionRequest.Post("v1/agents", tenant.Key, new { name = "alive" })))
            .Expect(HttpStatusCode.Created).Id();

        await app.InvokeAsync<ScheduledJobFunctions>((f, durable) => f.StartAgentLiveness(Firing(), durable, CancellationToken.None));

        var run = await app.Engine.WaitForCompletionAsync(ScheduledJobs.AgentLiveness.InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(1, run.ReadOutputAs<int>());
        Assert.Equal("offline", await StatusAsync(app, tenant.Key, silent));
        Assert.Equal("online", await StatusAsync(app, tenant.Key, alive));
    }

    [Fact]
    public async Task The_cleanup_timer_purges_dead_letters_past_retention_and_keeps_younger_ones()
    {
        await using var app = await FunctionsApp.StartAsync();
        var now = DateTimeOffset.UtcNow;
        app.Bus.DeadLetter(WorkQueues.TasksHigh, "{}", now - TimeSpan.FromDays(8), "MaxDeliveryCountExceeded");
        app.Bus.DeadLetter(WorkQueues.TasksHigh, "{}", now - TimeSpan.FromDays(1), "MaxDeliveryCountExceeded");
        // An expired message counts from when it expired, not from when it was sent.
        app.Bus.DeadLetter(WorkQueues.TasksLow, "{}", now - TimeSpan.FromDays(9), "TTLExpiredException", timeToLive: TimeSpan.FromDays(5));

        await app.InvokeAsync<ScheduledJobFunctions>((f, durable) => f.StartCleanup(Firing(pastDue: true), durable, CancellationToken.None));

        var run = await app.Engine.WaitForCompletionAsync(ScheduledJobs.Cleanup.InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var report = run.ReadOutputAs<CleanupReport>()!;
        Assert.Equal(1, report.Purged[WorkflowNames.PurgeDeadLetters]);
        Assert.Equal([now - TimeSpan.FromDays(1)], app.Bus.Messages(WorkQueues.TasksHigh, Azure.Messaging.ServiceBus.SubQueue.DeadLetter).Select(m => m.EnqueuedTime));
        Assert.Single(app.Bus.Messages(WorkQueues.TasksLow, Azure.Messaging.ServiceBus.SubQueue.DeadLetter));
        Assert.Equal(0, app.Bus.OpenReceivers);
    }

    [Fact]
    public async Task The_analytics_sampling_timer_records_each_tenants_queue_depth_for_the_minute()
    {
        await using var app = await FunctionsApp.StartAsync();
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        foreach (var priority in new[] { "high", "high", "low" })
        {
            (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask), FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "work", priority })))
                .Expect(HttpStatusCode.Accepted);
        }

        await app.InvokeAsync<ScheduledJobFunctions>((f, durable) => f.StartAnalyticsSampling(Firing(), durable, CancellationToken.None));

        var run = await app.Engine.WaitForCompletionAsync(ScheduledJobs.AnalyticsSampling.InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.True(run.ReadOutputAs<int>() >= 1);
        var depth = (await app.HttpAsync<AnalyticsFunctions>(nameof(AnalyticsFunctions.GetAnalyticsSeries),
            FunctionRequest.Get("v1/analytics/queueDepth", tenant.Key) with { Query = "priority=high" })).Expect(HttpStatusCode.OK);
        Assert.Equal(2, depth["points"]!.AsArray()[^1]!["value"]!.GetValue<double>());
    }

    private static TimerInfo Firing(bool pastDue = false) => new()
    {
        IsPastDue = pastDue,
        ScheduleStatus = new ScheduleStatus { Last = DateTime.UtcNow.AddMinutes(-5), Next = DateTime.UtcNow.AddMinutes(5), LastUpdated = DateTime.UtcNow },
    };

    private static async Task<string> StatusAsync(FunctionsApp app, string key, Guid agentId) =>
        (await app.HttpAsync<AgentFunctions>(nameof(AgentFunctions.GetAgent), FunctionRequest.Get($"v1/agents/{agentId}", key))).Expect(HttpStatusCode.OK).Str("status");
}
