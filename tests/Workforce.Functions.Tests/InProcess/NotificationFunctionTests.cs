extern alias FunctionsApp;

using System.Net;
using System.Text.Json.Nodes;
using Azure.Messaging.ServiceBus;
using FunctionsApp::Workforce.Functions.Agents;
using FunctionsApp::Workforce.Functions.Notifications;
using FunctionsApp::Workforce.Functions.Queues;
using FunctionsApp::Workforce.Functions.Tasks;
using FunctionsApp::Workforce.Functions.Usage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using Workforce.Api.Realtime;
using Workforce.Core.Notifications;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Functions.Tests.Queues;
using Workforce.Orchestrations.TaskLifecycle;
using Workforce.Testing.Webhooks;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>
/// Notifications through the app's own functions: endpoints and deliveries over the HTTP functions, the raised event's
/// Service Bus message into the notification queue trigger, and the delivery orchestration and its attempt activity
/// on Durable Task's engine, sending to a real webhook receiver that verifies the Standard Webhooks signature.
/// </summary>
public sealed class NotificationFunctionTests
{
    private static readonly Dictionary<string, string?> LocalTargets = new()
    {
        [$"{NotificationOptions.Section}:AllowPrivateTargets"] = "true",
        [$"{NotificationOptions.Section}:AllowHttpTargets"] = "true",
    };

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_task_that_fails_for_good_is_delivered_signed_to_the_webhook_endpoint_and_its_delivery_shows_the_succeeded_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await FunctionsApp.StartAsync(settings: LocalTargets);
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        var endpoint = await WebhookEndpointAsync(app, tenant.Key, receiver, events: [NotificationEvents.TaskFailed]);
        var taskId = await FailForGoodAsync(app, tenant);

        // The failure's commit raised task.failed: one message on the critical notification queue, handed to its trigger.
        var raised = Assert.Single(app.Bus.Messages(WorkQueues.NotificationsCritical));
        Assert.Empty(app.Bus.Messages(WorkQueues.Notifications));
        var actions = new RecordingMessageActions();
        var live = await app.InvokeAsync<NotificationQueueFunctions, SignalRMessageAction[]?>((f, durable) => f.FanOutCriticalEvent(raised, actions, durable, CancellationToken.None));

        Assert.Equal([new Settlement("complete", raised.MessageId)], actions.Settlements);
        var update = Assert.Single(live ?? [], u => u.Target == RealtimeEvents.Notification);
        Assert.Equal(tenant.Id, update.UserId);
        var notification = Assert.IsType<Notification>(Assert.Single(update.Arguments!));
        Assert.Equal((NotificationEvents.TaskFailed, raised.MessageId, Api.Realtime.NotificationLevel.Error), (notification.Event, notification.EventId, notification.Level));

        var delivery = Assert.Single(await DeliveriesAsync(app, tenant.Key, $"event={NotificationEvents.TaskFailed}"))!;
        var run = await app.Engine.WaitForCompletionAsync(delivery.Str("id"));
        Assert.Equal(DeliveryStatus.Succeeded, run.ReadOutputAs<DeliveryStatus>());

        var received = Assert.Single(await receiver.WaitForAsync(1, Within));
        Assert.True(received.Verified, $"The signature {received.SignatureHeader} did not verify with the endpoint's secret.");
        Assert.Equal(raised.MessageId, received.Id);
        Assert.Equal(NotificationEvents.TaskFailed, received.Json["type"]!.GetValue<string>());
        Assert.Equal(taskId.ToString(), received.Json["data"]!["taskId"]!.GetValue<string>());

        var shown = Assert.Single(await DeliveriesAsync(app, tenant.Key, $"endpointId={endpoint}&status=succeeded"))!;
        Assert.Equal((delivery.Str("id"), "webhook", raised.MessageId), (shown.Str("id"), shown.Str("channel"), shown.Str("eventId")));
        var attempt = Assert.Single(shown["attempts"]!.AsArray())!;
        Assert.True(attempt["succeeded"]!.GetValue<bool>());
        Assert.Equal(204, attempt["statusCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_task_changed_and_deleted_through_its_functions_reaches_the_tenants_dashboards_and_the_webhook_that_names_those_events()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await FunctionsApp.StartAsync(settings: LocalTargets);
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        await WebhookEndpointAsync(app, tenant.Key, receiver, events: [NotificationEvents.TaskUpdated, NotificationEvents.TaskDeleted]);
        var taskId = (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask), FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "edited", priority = "low" })))
            .Expect(HttpStatusCode.Accepted).Id();

        var patched = await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.UpdateTask),
            new FunctionRequest("PATCH", $"v1/tasks/{taskId}").WithKey(tenant.Key).WithBody("""{"priority":"critical"}""", "application/merge-patch+json"));
        var deleted = await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.DeleteTask), new FunctionRequest("DELETE", $"v1/tasks/{taskId}").WithKey(tenant.Key));

        Assert.Equal("critical", patched.Expect(HttpStatusCode.OK).Str("priority"));
        var update = Assert.Single(patched.Updates, u => u.Target == RealtimeEvents.TaskUpdated);
        var updated = Assert.Single(Assert.IsAssignableFrom<IEnumerable<TaskUpdate>>(Assert.Single(update.Arguments!)));
        Assert.Equal((tenant.Id, taskId, Core.Tasks.TaskPriority.Critical, 2), (update.UserId, updated.Id, updated.Priority, updated.Revision));
        Assert.Equal((int)HttpStatusCode.NoContent, deleted.Status);
        var removal = Assert.Single(deleted.Updates, u => u.Target == RealtimeEvents.TaskRemoved);
        var removed = Assert.Single(Assert.IsAssignableFrom<IEnumerable<TaskRemoved>>(Assert.Single(removal.Arguments!)));
        Assert.Equal((tenant.Id, taskId, Core.Tasks.TaskState.Cancelled), (removal.UserId, removed.Id, removed.State));
        // The cancellation that came first has no task left to show.
        Assert.DoesNotContain(deleted.Updates, u => u.Target == RealtimeEvents.TaskUpdated);

        // Each commit raised its event on the notification queue; its trigger fans them out to the endpoint.
        var raised = app.Bus.Messages(WorkQueues.Notifications);
        Assert.Equal(2, raised.Count);
        foreach (var message in raised)
        {
            await app.InvokeAsync<NotificationQueueFunctions, SignalRMessageAction[]?>((f, durable) => f.FanOutEvent(message, new RecordingMessageActions(), durable, CancellationToken.None));
        }

        var received = (await receiver.WaitForAsync(2, Within)).OrderBy(r => r.Json["sequence"]!.GetValue<long>()).ToList();
        Assert.All(received, r => Assert.True(r.Verified, $"The signature {r.SignatureHeader} did not verify with the endpoint's secret."));
        Assert.Equal([NotificationEvents.TaskUpdated, NotificationEvents.TaskDeleted], received.Select(r => r.Json["type"]!.GetValue<string>()));
        Assert.Equal(("priority", "pending"), (received[0].Json["data"]!["changed"]!.GetValue<string>(), received[1].Json["data"]!["state"]!.GetValue<string>()));
        Assert.All(received, r => Assert.Equal(taskId.ToString(), r.Json["data"]!["taskId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_test_notification_sent_through_its_function_reaches_the_endpoint_on_the_delivery_orchestration()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await FunctionsApp.StartAsync(settings: LocalTargets);
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        var endpoint = await WebhookEndpointAsync(app, tenant.Key, receiver, events: []);

        var sent = (await app.HttpAsync<NotificationFunctions>(nameof(NotificationFunctions.TestNotificationEndpoint),
            FunctionRequest.Post($"v1/notifications/endpoints/{endpoint}/test", tenant.Key))).Expect(HttpStatusCode.Accepted);

        var run = await app.Engine.WaitForCompletionAsync(sent.Str("id"));
        Assert.Equal(DeliveryStatus.Succeeded, run.ReadOutputAs<DeliveryStatus>());
        var received = Assert.Single(await receiver.WaitForAsync(1, Within));
        Assert.True(received.Verified);
        Assert.Equal(NotificationEvents.Test, received.Json["type"]!.GetValue<string>());
        var read = (await app.HttpAsync<NotificationFunctions>(nameof(NotificationFunctions.GetNotificationDelivery),
            FunctionRequest.Get($"v1/notifications/deliveries/{sent.Str("id")}", tenant.Key))).Expect(HttpStatusCode.OK);
        Assert.Equal("succeeded", read.Str("status"));
    }

    [Fact]
    public async Task An_event_whose_delivery_run_cannot_be_started_is_abandoned_and_its_redelivery_starts_the_run_without_a_second_live_notification()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await FunctionsApp.StartAsync(settings: LocalTargets);
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        await WebhookEndpointAsync(app, tenant.Key, receiver, events: [NotificationEvents.QueueBacklog]);
        var backlog = NotificationEvents.OfQueueBacklog(tenant.Id, pending: 12, threshold: 10, DateTimeOffset.UtcNow);
        var message = Message(StoredJson.Serialize(backlog), backlog.Id);
        var unavailable = new Mock<DurableTaskClient>("unavailable");
        unavailable.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("The task hub is unavailable."));
        var actions = new RecordingMessageActions();

        var first = await app.InvokeAsync<NotificationQueueFunctions, SignalRMessageAction[]?>(
            (f, durable) => f.FanOutEvent(message, actions, durable, CancellationToken.None), unavailable.Object);
        var again = await app.InvokeAsync<NotificationQueueFunctions, SignalRMessageAction[]?>(
            (f, durable) => f.FanOutEvent(Message(message.Body.ToString(), message.MessageId, deliveryCount: 2), actions, durable, CancellationToken.None));

        Assert.Equal([new Settlement("abandon", backlog.Id), new Settlement("complete", backlog.Id)], actions.Settlements);
        // The fan-out committed on the first delivery, so the dashboards heard of it then, and only then.
        Assert.Equal(backlog.Id, Assert.IsType<Notification>(Assert.Single(Assert.Single(first ?? []).Arguments!)).EventId);
        Assert.Null(again);
        var delivery = Assert.Single(await DeliveriesAsync(app, tenant.Key, ""))!;
        Assert.Equal(DeliveryStatus.Succeeded, (await app.Engine.WaitForCompletionAsync(delivery.Str("id"))).ReadOutputAs<DeliveryStatus>());
        Assert.Equal(backlog.Id, Assert.Single(await receiver.WaitForAsync(1, Within)).Id);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"id\":\"evt_1\",\"type\":\"task.failed\"}")]
    [InlineData("{\"taskId\":\"6d1f3c8e-0a4b-4c1e-9d7a-1b2c3d4e5f60\",\"tenantId\":\"acme\"}")]
    public async Task A_message_that_is_not_a_notification_event_is_dead_lettered_with_the_reason(string body)
    {
        await using var app = await FunctionsApp.StartAsync();
        var message = Message(body, Guid.NewGuid().ToString("N"));
        var actions = new RecordingMessageActions();

        var live = await app.InvokeAsync<NotificationQueueFunctions, SignalRMessageAction[]?>((f, durable) => f.FanOutCriticalEvent(message, actions, durable, CancellationToken.None));

        var settlement = Assert.Single(actions.Settlements);
        Assert.Equal(("deadLetter", HandlingResult.DeadLetterReason), (settlement.Kind, settlement.Reason));
        Assert.Contains("not a notification event", settlement.Description, StringComparison.Ordinal);
        Assert.Null(live);
    }

    [Fact]
    public async Task The_notification_functions_stay_open_when_the_api_calls_are_used_up_as_on_the_server()
    {
        await using var app = await FunctionsApp.StartAsync(settings: new Dictionary<string, string?> { ["Workforce:Billing:Plans:free:ApiCalls"] = "2" });
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        for (var i = 0; i < 2; i++)
        {
            (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.ListTasks), FunctionRequest.Get("v1/tasks", tenant.Key))).Expect(HttpStatusCode.OK);
        }

        var refused = await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.ListTasks), FunctionRequest.Get("v1/tasks", tenant.Key));
        var deliveries = await app.HttpAsync<NotificationFunctions>(nameof(NotificationFunctions.ListNotificationDeliveries), FunctionRequest.Get("v1/notifications/deliveries", tenant.Key));

        Assert.Equal(429, refused.Status);
        deliveries.Expect(HttpStatusCode.OK);
        (await app.HttpAsync<NotificationFunctions>(nameof(NotificationFunctions.ListNotificationEndpoints), FunctionRequest.Get("v1/notifications/endpoints", tenant.Key)))
            .Expect(HttpStatusCode.OK);
        (await app.HttpAsync<NotificationFunctions>(nameof(NotificationFunctions.ListNotificationEvents), FunctionRequest.Get("v1/notifications/events", FunctionsApp.AdminKey)))
            .Problem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_app_starts_with_the_sample_notification_settings_and_serves_the_catalogue()
    {
        var sample = DeploymentFiles.LocalSettings.Where(s => s.Key.StartsWith("Workforce__Notifications__", StringComparison.Ordinal))
            .ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value);

        await using var app = await FunctionsApp.StartAsync(settings: sample);
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);

        var catalogue = (await app.HttpAsync<NotificationFunctions>(nameof(NotificationFunctions.ListNotificationEvents),
            FunctionRequest.Get("v1/notifications/events", tenant.Key))).Expect(HttpStatusCode.OK);
        Assert.Equal(NotificationEvents.All.Select(e => e.Type), catalogue["items"]!.AsArray().Select(e => e!.Str("type")));
    }

    /// <returns>The endpoint's id; the receiver trusts the secret the 201 showed.</returns>
    private static async Task<string> WebhookEndpointAsync(FunctionsApp app, string key, WebhookReceiver receiver, string[] events)
    {
        var created = await app.HttpAsync<NotificationFunctions>(nameof(NotificationFunctions.CreateNotificationEndpoint),
            FunctionRequest.Post("v1/notifications/endpoints", key, new { channel = "webhook", target = receiver.Url.ToString(), events }));
        var endpoint = created.Expect(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/notifications/endpoints/{endpoint.Str("id")}", created.Headers.Location.ToString());
        receiver.Trust(endpoint.Str("secret"));
        return endpoint.Str("id");
    }

    /// <summary>Submits a task with no retries, has an agent lease and start it, and fails it as not retryable, all through the functions.</summary>
    private static async Task<Guid> FailForGoodAsync(FunctionsApp app, (string Id, string Key) tenant)
    {
        var agent = (await app.HttpAsync<AgentFunctions>(nameof(AgentFunctions.RegisterAgent),
            FunctionRequest.Post("v1/agents", tenant.Key, new { name = "worker", capacity = 1 }))).Expect(HttpStatusCode.Created);
        var agentKey = agent.Str("agentKey");
        var taskId = (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask),
            FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "render", priority = "high", maxRetries = 0 }))).Expect(HttpStatusCode.Accepted).Id();
        Assert.Equal(taskId, (await app.HttpAsync<AgentFunctions>(nameof(AgentFunctions.LeaseTask), FunctionRequest.Post($"v1/agents/{agent.Id()}/lease", agentKey)))
            .Expect(HttpStatusCode.OK).Id());
        await app.InvokeAsync<TaskQueueFunctions>((f, durable) =>
            f.StartHighTask(Assert.Single(app.Bus.Messages(WorkQueues.TasksHigh)), new RecordingMessageActions(), durable, CancellationToken.None));
        (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.StartTask), FunctionRequest.Post($"v1/tasks/{taskId}/start", agentKey))).Expect(HttpStatusCode.OK);
        var failed = await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.FailTask),
            FunctionRequest.Post($"v1/tasks/{taskId}/fail", agentKey, new { error = "The renderer ran out of memory.", retryable = false }));
        Assert.Equal("failed", failed.Expect(HttpStatusCode.OK).Str("state"));
        // The event is not fanned out in the request that raised it, so its live notification comes from the queue trigger.
        Assert.DoesNotContain(failed.Updates, u => u.Target == RealtimeEvents.Notification);
        return taskId;
    }

    private static async Task<JsonArray> DeliveriesAsync(FunctionsApp app, string key, string query)
    {
        var listed = await app.HttpAsync<NotificationFunctions>(nameof(NotificationFunctions.ListNotificationDeliveries),
            FunctionRequest.Get("v1/notifications/deliveries", key) with { Query = query });
        return listed.Expect(HttpStatusCode.OK)["items"]!.AsArray();
    }

    private static ServiceBusReceivedMessage Message(string body, string messageId, int deliveryCount = 1) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body), messageId: messageId, contentType: "application/json",
            deliveryCount: deliveryCount, enqueuedTime: DateTimeOffset.UtcNow, lockedUntil: DateTimeOffset.UtcNow.AddSeconds(30));
}
