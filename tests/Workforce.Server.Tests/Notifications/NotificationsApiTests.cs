using System.Net;
using System.Text.Json.Nodes;
using Workforce.Testing.Webhooks;

namespace Workforce.Server.Tests.Notifications;

/// <summary>
/// Notifications through the server: endpoints, the outbox and the delivery workflow on the embedded engine, to a
/// real webhook receiver on loopback that verifies Standard Webhooks signatures.
/// </summary>
public sealed class NotificationsApiTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly NotificationsApiFactory _server = new();
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_task_that_fails_for_good_reaches_a_webhook_signed_and_its_delivery_is_tracked()
    {
        using var tenant = _server.Tenant();
        var endpoint = await CreateAsync(tenant, _receiver);
        var agent = await tenant.RegisterAsync("translator");
        var task = await tenant.SubmitAsync(new { type = "translate", maxRetries = 0 });
        using var agentClient = _server.Client(agent.Str("agentKey"));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{task.Id()}/fail", new { error = "model timed out", retryable = false }));

        var received = Assert.Single(await _receiver.WaitForAsync(1, Within));
        Assert.True(received.Verified);
        Assert.Equal(("task.failed", "critical", task.Str("id"), "model timed out"),
            (received.Json.Str("type"), received.Json.Str("level"), received.Json["data"]!.Str("taskId"), received.Json["data"]!.Str("error")));
        var delivery = await SettledAsync(tenant, endpoint.Str("id"));
        Assert.Equal(("succeeded", received.Id, 1L), (delivery.Str("status"), delivery.Str("eventId"), delivery["sequence"]!.GetValue<long>()));
        Assert.Equal(204, Assert.Single(delivery["attempts"]!.AsArray())!["statusCode"]!.GetValue<int>());
        // The secret is shown once, at creation.
        var listed = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/notifications/endpoints"));
        Assert.Null(Assert.Single(listed["items"]!.AsArray())!["secret"]);
    }

    [Fact]
    public async Task A_changed_and_a_deleted_task_reach_the_webhook_that_names_those_events_and_not_one_that_takes_all()
    {
        using var tenant = _server.Tenant();
        await using var everything = await WebhookReceiver.StartAsync();
        await CreateAsync(tenant, _receiver, events: ["task.updated", "task.deleted"]);
        await CreateAsync(tenant, everything);
        var task = await tenant.SubmitAsync(new { type = "edited", priority = "low", payload = new { n = 1 } });

        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/tasks/{task.Id()}")
        {
            Content = new StringContent("""{"priority":"high","payload":{"n":2}}""", System.Text.Encoding.UTF8, "application/merge-patch+json"),
        };
        await WorkforceClient.ReadAsync(await tenant.Http.SendAsync(patch, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Http.DeleteAsync($"/api/v1/tasks/{task.Id()}", TestContext.Current.CancellationToken)).StatusCode);
        var received = (await _receiver.WaitForAsync(2, Within)).OrderBy(r => r.Json["sequence"]!.GetValue<long>()).ToList();

        Assert.All(received, r => Assert.True(r.Verified));
        var (updated, deleted) = (received[0].Json, received[1].Json);
        Assert.Equal(("task.updated", "info", task.Str("id"), "high", "priority, payload", 2),
            (updated.Str("type"), updated.Str("level"), updated["data"]!.Str("taskId"), updated["data"]!.Str("priority"), updated["data"]!.Str("changed"),
             updated["data"]!["revision"]!.GetValue<int>()));
        // The state it was in when it was deleted: a pending task, cancelled in the same transaction.
        Assert.Equal(("task.deleted", task.Str("id"), "edited", "pending"),
            (deleted.Str("type"), deleted["data"]!.Str("taskId"), deleted["data"]!.Str("taskType"), deleted["data"]!.Str("state")));
        Assert.Equal(2, received.Count);
        Assert.Empty(everything.Received);
    }

    [Fact]
    public async Task Targets_and_events_that_cannot_be_served_are_refused_and_nothing_is_created()
    {
        await using var production = new WorkforceApiFactory();
        using var tenant = production.Tenant();

        var loopback = await WorkforceClient.ProblemAsync(
            await tenant.PostAsync("/api/v1/notifications/endpoints", new { channel = "webhook", target = "https://127.0.0.1/hooks" }), HttpStatusCode.BadRequest);
        var plain = await WorkforceClient.ProblemAsync(
            await tenant.PostAsync("/api/v1/notifications/endpoints", new { channel = "webhook", target = "http://hooks.example.com/" }), HttpStatusCode.BadRequest);
        var unknown = await WorkforceClient.ProblemAsync(
            await tenant.PostAsync("/api/v1/notifications/endpoints", new { channel = "email", target = "ops@example.com", events = new[] { "task.exploded" } }), HttpStatusCode.BadRequest);
        var channel = await WorkforceClient.ProblemAsync(
            await tenant.PostAsync("/api/v1/notifications/endpoints", new { channel = "pigeon", target = "x" }), HttpStatusCode.BadRequest);

        Assert.Contains("private, loopback or link-local", loopback["errors"]!["target"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Use https", plain["errors"]!["target"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("task.exploded", unknown["errors"]!["events"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(channel["errors"]);
        var listed = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/notifications/endpoints"));
        Assert.Empty(listed["items"]!.AsArray());
    }

    [Fact]
    public async Task A_test_goes_to_one_endpoint_and_after_a_rotation_both_secrets_sign()
    {
        using var tenant = _server.Tenant();
        await using var bystander = await WebhookReceiver.StartAsync();
        var endpoint = await CreateAsync(tenant, _receiver);
        await CreateAsync(tenant, bystander);
        var oldSecret = endpoint.Str("secret");

        var test = await WorkforceClient.ReadAsync(await tenant.PostAsync($"/api/v1/notifications/endpoints/{endpoint.Str("id")}/test"), HttpStatusCode.Accepted);
        await _receiver.WaitForAsync(1, Within);
        var rotated = await WorkforceClient.ReadAsync(await tenant.PostAsync($"/api/v1/notifications/endpoints/{endpoint.Str("id")}/rotate-secret"));
        _receiver.Trust(rotated.Str("secret"));
        await tenant.PostAsync($"/api/v1/notifications/endpoints/{endpoint.Str("id")}/test");
        var received = await _receiver.WaitForAsync(2, Within);

        Assert.Equal("notification.test", test.Str("event"));
        Assert.NotEqual(oldSecret, rotated.Str("secret"));
        Assert.Equal((1, 2), (received[0].SignatureCount, received[1].SignatureCount));
        Assert.True(received[1].Verified);
        Assert.Empty(bystander.Received);
    }

    [Fact]
    public async Task An_endpoint_that_answers_gone_is_disabled_and_the_other_endpoints_hear_of_it()
    {
        using var tenant = _server.Tenant();
        await using var operations = await WebhookReceiver.StartAsync();
        var gone = await CreateAsync(tenant, _receiver);
        await CreateAsync(tenant, operations, events: ["endpoint.disabled"]);
        _receiver.AnswerNext(410);

        await tenant.PostAsync($"/api/v1/notifications/endpoints/{gone.Str("id")}/test");
        var heard = Assert.Single(await operations.WaitForAsync(1, Within));

        Assert.Equal("endpoint.disabled", heard.Json.Str("type"));
        Assert.Equal(gone.Str("id"), heard.Json["data"]!.Str("endpointId"));
        var disabled = await WorkforceClient.ReadAsync(await tenant.GetAsync($"/api/v1/notifications/endpoints/{gone.Str("id")}"));
        Assert.Equal(("disabled", "It answered 410 Gone."), (disabled.Str("status"), disabled.Str("disabledReason")));
        await WorkforceClient.ProblemAsync(await tenant.PostAsync($"/api/v1/notifications/endpoints/{gone.Str("id")}/test"), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_delivery_that_ran_out_of_retries_is_sent_again_by_a_retry_and_by_a_replay()
    {
        using var tenant = _server.Tenant();
        var endpoint = await CreateAsync(tenant, _receiver);
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        _receiver.AnswerNext(500, times: 2);

        await tenant.PostAsync($"/api/v1/notifications/endpoints/{endpoint.Str("id")}/test");
        var failed = await SettledAsync(tenant, endpoint.Str("id"));
        var retried = await WorkforceClient.ReadAsync(await tenant.PostAsync($"/api/v1/notifications/deliveries/{failed.Str("id")}/retry"), HttpStatusCode.Accepted);
        var succeeded = await SettledAsync(tenant, endpoint.Str("id"));
        var notFailed = await WorkforceClient.ReadAsync(await tenant.PostAsync($"/api/v1/notifications/endpoints/{endpoint.Str("id")}/replay?since={since.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}"), HttpStatusCode.Accepted);
        var pending = await WorkforceClient.ProblemAsync(await tenant.PostAsync($"/api/v1/notifications/endpoints/{endpoint.Str("id")}/replay"), HttpStatusCode.BadRequest);

        Assert.Equal("failed", failed.Str("status"));
        Assert.Equal([500, 500], failed["attempts"]!.AsArray().Select(a => a!["statusCode"]!.GetValue<int>()));
        Assert.Equal(("pending", 1), (retried.Str("status"), retried["resends"]!.GetValue<int>()));
        Assert.Equal(("succeeded", 3), (succeeded.Str("status"), succeeded["attempts"]!.AsArray().Count));
        Assert.Equal(0, notFailed["resent"]!.GetValue<int>());
        Assert.NotNull(pending["errors"]!["since"]);
        Assert.Equal(3, _receiver.Received.Count);
        Assert.Single(_receiver.Received.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task Deliveries_filter_by_status_and_event_and_another_tenant_sees_none_of_them()
    {
        using var tenant = _server.Tenant();
        using var stranger = await _server.NewTenantAsync();
        var endpoint = await CreateAsync(tenant, _receiver);
        await tenant.PostAsync($"/api/v1/notifications/endpoints/{endpoint.Str("id")}/test");
        var delivery = await SettledAsync(tenant, endpoint.Str("id"));

        var byEvent = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/notifications/deliveries?event=notification.test&status=succeeded"));
        var otherEvent = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/notifications/deliveries?event=task.failed"));
        var badStatus = await WorkforceClient.ProblemAsync(await tenant.GetAsync("/api/v1/notifications/deliveries?status=lost"), HttpStatusCode.BadRequest);
        var strangers = await WorkforceClient.ReadAsync(await stranger.GetAsync("/api/v1/notifications/deliveries"));

        Assert.Equal(delivery.Str("id"), Assert.Single(byEvent["items"]!.AsArray())!.Str("id"));
        Assert.Empty(otherEvent["items"]!.AsArray());
        Assert.NotNull(badStatus["errors"]!["status"]);
        Assert.Empty(strangers["items"]!.AsArray());
        await WorkforceClient.ProblemAsync(await stranger.GetAsync($"/api/v1/notifications/deliveries/{delivery.Str("id")}"), HttpStatusCode.NotFound);
        await WorkforceClient.ProblemAsync(await stranger.PostAsync($"/api/v1/notifications/endpoints/{endpoint.Str("id")}/test"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Templates_take_only_the_fields_of_their_event_and_webhooks_are_not_templated()
    {
        using var tenant = _server.Tenant();

        var set = await WorkforceClient.ReadAsync(await tenant.PutAsync("/api/v1/notifications/templates/task.failed/email",
            new { subject = "[{{level}}] {{taskType}} failed", body = "Task {{taskId}}: {{error}}" }));
        var unknownField = await WorkforceClient.ProblemAsync(await tenant.PutAsync("/api/v1/notifications/templates/task.failed/sms",
            new { body = "{{invoiceId}} {{ taskId }}" }), HttpStatusCode.BadRequest);
        var logic = await WorkforceClient.ProblemAsync(await tenant.PutAsync("/api/v1/notifications/templates/task.failed/sms",
            new { body = "{{#if error}}x{{/if}}" }), HttpStatusCode.BadRequest);
        var webhook = await WorkforceClient.ProblemAsync(await tenant.PutAsync("/api/v1/notifications/templates/task.failed/webhook",
            new { body = "x" }), HttpStatusCode.BadRequest);
        await WorkforceClient.ProblemAsync(await tenant.PutAsync("/api/v1/notifications/templates/task.exploded/sms", new { body = "x" }), HttpStatusCode.NotFound);
        var listed = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/notifications/templates"));
        var removed = await tenant.Http.DeleteAsync(new Uri("/api/v1/notifications/templates/task.failed/email", UriKind.Relative));

        Assert.Equal(("task.failed", "email"), (set.Str("event"), set.Str("channel")));
        Assert.Contains("{{invoiceId}}", unknownField["errors"]!["body"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(logic["errors"]!["body"]);
        Assert.NotNull(webhook["errors"]!["channel"]);
        Assert.Single(listed["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
    }

    [Fact]
    public async Task The_catalogue_lists_every_event_with_its_level_and_fields()
    {
        using var tenant = _server.Tenant();

        var catalogue = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/notifications/events"));

        var events = catalogue["items"]!.AsArray().ToDictionary(e => e!.Str("type"), e => e!);
        Assert.Superset(new HashSet<string> { "task.failed", "task.completed", "agent.offline", "agent.removed", "queue.backlog", "quota.warning", "quota.exceeded",
            "invoice.issued", "payment.succeeded", "payment.failed", "subscription.suspended", "endpoint.disabled" }, events.Keys.ToHashSet());
        Assert.True(events["task.completed"]!["optIn"]!.GetValue<bool>());
        Assert.All(new[] { "task.updated", "task.deleted" }, type => Assert.True(events[type]!["optIn"]!.GetValue<bool>()));
        Assert.Equal(["taskId", "taskType", "priority", "revision", "changed"], events["task.updated"]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("critical", events["payment.failed"]!.Str("level"));
    }

    private static async Task<JsonObject> CreateAsync(WorkforceClient tenant, WebhookReceiver receiver, string[]? events = null)
    {
        var created = await WorkforceClient.ReadAsync(
            await tenant.PostAsync("/api/v1/notifications/endpoints", new { channel = "webhook", target = receiver.Url.AbsoluteUri, events }), HttpStatusCode.Created);
        Assert.StartsWith("whsec_", created.Str("secret"), StringComparison.Ordinal);
        receiver.Trust(created.Str("secret"));
        return created;
    }

    /// <summary>The endpoint's newest delivery once it is no longer pending.</summary>
    private static async Task<JsonObject> SettledAsync(WorkforceClient tenant, string endpointId)
    {
        using var timeout = new CancellationTokenSource(Within);
        while (true)
        {
            var page = await WorkforceClient.ReadAsync(await tenant.GetAsync($"/api/v1/notifications/deliveries?endpointId={endpointId}&limit=1"));
            if (page["items"]!.AsArray().FirstOrDefault() is JsonObject newest && newest.Str("status") != "pending")
            {
                return newest;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>The server with webhooks allowed to loopback over http, and a retry schedule of one short retry.</summary>
    private sealed class NotificationsApiFactory() : WorkforceApiFactory(TestStorage.Sqlite, new Dictionary<string, string?>
    {
        ["Workforce:Notifications:AllowPrivateTargets"] = "true",
        ["Workforce:Notifications:AllowHttpTargets"] = "true",
        ["Workforce:Notifications:RetrySchedule:0"] = "00:00:00.200",
    });
}
