extern alias FunctionsApp;

using System.Net;
using FunctionsApp::Workforce.Functions.Agents;
using FunctionsApp::Workforce.Functions.Queues;
using FunctionsApp::Workforce.Functions.Tasks;
using FunctionsApp::Workforce.Functions.Tenants;
using Microsoft.DurableTask.Client;
using Workforce.Core.Queues;
using Workforce.Core.Tasks;
using Workforce.Functions.Tests.Queues;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>
/// A task's life through the app's own functions: HTTP functions with real requests, the queue trigger with the
/// message the lease or the submission sent, and the lifecycle orchestration on Durable Task's engine, over Azurite.
/// </summary>
public sealed class TaskLifecycleFunctionTests
{
    [Fact]
    public async Task A_task_submitted_leased_started_and_completed_through_the_functions_ends_its_lifecycle_completed()
    {
        await using var app = await FunctionsApp.StartAsync();
        var tenant = await TenantAsync(app);
        var agent = (await app.HttpAsync<AgentFunctions>(nameof(AgentFunctions.RegisterAgent),
            FunctionRequest.Post("v1/agents", tenant.Key, new { name = "translator", capabilities = new[] { "translate" }, capacity = 1 }))).Expect(HttpStatusCode.Created);
        var agentKey = agent.Str("agentKey");

        var submitted = await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask),
            FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "translate", priority = "high", requiredCapabilities = new[] { "translate" } }));
        var taskId = submitted.Expect(HttpStatusCode.Accepted).Id();
        Assert.Equal($"/api/v1/tasks/{taskId}", submitted.Headers.Location.ToString());
        var instanceId = TaskLifecycleInstance.Id(tenant.Id, taskId);

        // A pending task without a deadline has no time limit to enforce: no workflow yet.
        Assert.Empty(app.Bus.Messages(WorkQueues.TasksHigh));

        var leased = await app.HttpAsync<AgentFunctions>(nameof(AgentFunctions.LeaseTask), FunctionRequest.Post($"v1/agents/{agent.Id()}/lease", agentKey));
        Assert.Equal(taskId, leased.Expect(HttpStatusCode.OK).Id());
        Assert.Equal("assigned", leased.Json.Str("state"));
        // What the request changed goes to the tenant's dashboards: the task, and the agent whose load it changed.
        Assert.Contains(leased.Updates, u => u.Target == "taskUpdated" && u.UserId == tenant.Id);
        Assert.Contains(leased.Updates, u => u.Target == "agentUpdated" && u.UserId == tenant.Id);

        // The lease's commit sent the task's message to its priority's queue; the trigger starts the workflow.
        var message = Assert.Single(app.Bus.Messages(WorkQueues.TasksHigh));
        Assert.Equal(tenant.Id, message.ApplicationProperties[ServiceBusWorkQueues.TenantProperty]);
        var actions = new RecordingMessageActions();
        await app.InvokeAsync<TaskQueueFunctions>((f, durable) => f.StartHighTask(message, actions, durable, CancellationToken.None));
        Assert.Equal([new Settlement("complete", message.MessageId)], actions.Settlements);
        await app.Engine.WaitUntilAsync(instanceId, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running && Watches(m, "assigned"), "watching the assigned task");

        var started = await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.StartTask), FunctionRequest.Post($"v1/tasks/{taskId}/start", agentKey));
        Assert.Equal("running", started.Expect(HttpStatusCode.OK).Str("state"));

        var completed = await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.CompleteTask),
            FunctionRequest.Post($"v1/tasks/{taskId}/complete", agentKey, new { result = new { text = "hallo" } }));
        Assert.Equal("completed", completed.Expect(HttpStatusCode.OK).Str("state"));

        var end = await app.Engine.WaitForCompletionAsync(instanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, end.RuntimeStatus);
        Assert.Equal(TaskState.Completed, end.ReadOutputAs<TaskLifecycleOutcome>()!.State);
        var read = await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.GetTask), FunctionRequest.Get($"v1/tasks/{taskId}", tenant.Key));
        Assert.Equal("hallo", read.Expect(HttpStatusCode.OK)["result"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_task_with_a_deadline_cancelled_through_its_function_ends_its_running_lifecycle_cancelled()
    {
        await using var app = await FunctionsApp.StartAsync();
        var tenant = await TenantAsync(app);
        var taskId = (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask),
                FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "x", deadline = DateTimeOffset.UtcNow.AddDays(1) })))
            .Expect(HttpStatusCode.Accepted).Id();
        var message = Assert.Single(app.Bus.Messages(WorkQueues.TasksMedium));
        await app.InvokeAsync<TaskQueueFunctions>((f, durable) => f.StartMediumTask(message, new RecordingMessageActions(), durable, CancellationToken.None));
        var instanceId = TaskLifecycleInstance.Id(tenant.Id, taskId);
        await app.Engine.WaitUntilAsync(instanceId, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");

        var cancelled = await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.CancelTask), FunctionRequest.Post($"v1/tasks/{taskId}/cancel", tenant.Key));

        Assert.Equal("cancelled", cancelled.Expect(HttpStatusCode.OK).Str("state"));
        Assert.Contains(cancelled.Updates, u => u.Target == "taskUpdated" && u.UserId == tenant.Id);
        var end = await app.Engine.WaitForCompletionAsync(instanceId);
        Assert.Equal(TaskState.Cancelled, end.ReadOutputAs<TaskLifecycleOutcome>()!.State);
    }

    [Fact]
    public async Task A_tenant_function_needs_the_admin_key_and_the_v1_functions_a_tenant_key()
    {
        await using var app = await FunctionsApp.StartAsync();
        var tenant = await TenantAsync(app);

        (await app.HttpAsync<TenantFunctions>(nameof(TenantFunctions.CreateTenant), FunctionRequest.Post("v1/tenants", tenant.Key, new { name = "other" })))
            .Problem(HttpStatusCode.Forbidden);
        (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask), FunctionRequest.Post("v1/tasks", json: new { type = "x" })))
            .Problem(HttpStatusCode.Unauthorized);
        (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.ListTasks), FunctionRequest.Get("v1/tasks", FunctionsApp.AdminKey)))
            .Problem(HttpStatusCode.Forbidden);
        Assert.Empty(app.Bus.Messages(WorkQueues.TasksMedium));
    }

    internal static async Task<(string Id, string Key)> TenantAsync(FunctionsApp app, string name = "acme")
    {
        var created = (await app.HttpAsync<TenantFunctions>(nameof(TenantFunctions.CreateTenant), FunctionRequest.Post("v1/tenants", FunctionsApp.AdminKey, new { name })))
            .Expect(HttpStatusCode.Created);
        return (created.Str("id"), created.Str("apiKey"));
    }

    private static bool Watches(OrchestrationMetadata instance, string state) =>
        instance.SerializedCustomStatus?.Contains($"\"state\":\"{state}\"", StringComparison.Ordinal) == true;
}
