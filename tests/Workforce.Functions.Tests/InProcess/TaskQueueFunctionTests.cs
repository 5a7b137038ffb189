extern alias FunctionsApp;

using System.Net;
using Azure.Messaging.ServiceBus;
using FunctionsApp::Workforce.Functions.Queues;
using FunctionsApp::Workforce.Functions.Tasks;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using Workforce.Core.Queues;
using Workforce.Functions.Tests.Queues;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>The Service Bus trigger functions, given messages built by <see cref="ServiceBusModelFactory"/>, settle as the server's queue listener does.</summary>
public sealed class TaskQueueFunctionTests
{
    [Fact]
    public async Task A_redelivered_task_message_is_completed_without_a_second_lifecycle()
    {
        await using var app = await FunctionsApp.StartAsync();
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        var taskId = (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask), FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "x", priority = "critical", deadline = DateTimeOffset.UtcNow.AddDays(1) })))
            .Expect(HttpStatusCode.Accepted).Id();
        var sent = Assert.Single(app.Bus.Messages(WorkQueues.TasksCritical));
        var instanceId = TaskLifecycleInstance.Id(tenant.Id, taskId);
        var actions = new RecordingMessageActions();

        await app.InvokeAsync<TaskQueueFunctions>((f, durable) => f.StartCriticalTask(sent, actions, durable, CancellationToken.None));
        var first = await app.Engine.WaitUntilAsync(instanceId, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");
        var redelivery = Message(sent.Body.ToString(), deliveryCount: 2, messageId: sent.MessageId);
        await app.InvokeAsync<TaskQueueFunctions>((f, durable) => f.StartCriticalTask(redelivery, actions, durable, CancellationToken.None));

        Assert.Equal([new Settlement("complete", sent.MessageId), new Settlement("complete", sent.MessageId)], actions.Settlements);
        var instance = await app.Durable.GetInstanceAsync(instanceId);
        Assert.Equal(first.CreatedAt, instance!.CreatedAt);
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance.RuntimeStatus);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"tenantId\":\"acme\"}")]
    [InlineData("{\"taskId\":\"6d1f3c8e-0a4b-4c1e-9d7a-1b2c3d4e5f60\"}")]
    public async Task A_message_that_is_not_a_task_message_is_dead_lettered_with_the_reason(string body)
    {
        await using var app = await FunctionsApp.StartAsync();
        var message = Message(body);
        var actions = new RecordingMessageActions();

        await app.InvokeAsync<TaskQueueFunctions>((f, durable) => f.StartLowTask(message, actions, durable, CancellationToken.None));

        var settlement = Assert.Single(actions.Settlements);
        Assert.Equal(("deadLetter", HandlingResult.DeadLetterReason), (settlement.Kind, settlement.Reason));
        Assert.Contains("not a task message", settlement.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_of_a_task_that_no_longer_exists_is_completed()
    {
        await using var app = await FunctionsApp.StartAsync();
        var message = Message($"{{\"tenantId\":\"acme\",\"taskId\":\"{Guid.NewGuid()}\"}}");
        var actions = new RecordingMessageActions();

        await app.InvokeAsync<TaskQueueFunctions>((f, durable) => f.StartMediumTask(message, actions, durable, CancellationToken.None));

        Assert.Equal([new Settlement("complete", message.MessageId)], actions.Settlements);
    }

    [Fact]
    public async Task A_message_whose_workflow_cannot_be_started_is_abandoned_for_another_delivery()
    {
        await using var app = await FunctionsApp.StartAsync();
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask), FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "x", deadline = DateTimeOffset.UtcNow.AddDays(1) }));
        var sent = Assert.Single(app.Bus.Messages(WorkQueues.TasksMedium));
        var unavailable = new Mock<DurableTaskClient>("unavailable");
        unavailable.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("The task hub is unavailable."));
        var actions = new RecordingMessageActions();

        await app.InvokeAsync<TaskQueueFunctions>((f, durable) => f.StartMediumTask(sent, actions, durable, CancellationToken.None), unavailable.Object);

        Assert.Equal([new Settlement("abandon", sent.MessageId)], actions.Settlements);
    }

    private static ServiceBusReceivedMessage Message(string body, int deliveryCount = 1, string? messageId = null) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body), messageId: messageId ?? Guid.NewGuid().ToString("N"), contentType: "application/json",
            deliveryCount: deliveryCount, enqueuedTime: DateTimeOffset.UtcNow, lockedUntil: DateTimeOffset.UtcNow.AddSeconds(30));
}
