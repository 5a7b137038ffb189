using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Api.Audit;

namespace Workforce.Server.Tests.Messaging;

public abstract class MessagingApiTests(WorkforceApiFactory factory)
{
    [Fact]
    public async Task A_direct_message_reaches_the_agents_long_poll_shaped_as_sent_and_is_gone_once_acknowledged()
    {
        var (tenantId, client) = await factory.NewTenantWithIdAsync();
        using var _ = client;
        var worker = await client.RegisterAsync("worker");
        using var workerClient = factory.Client(worker.Str("agentKey"));

        var poll = workerClient.GetAsync($"/api/v1/agents/{worker.Id()}/messages?waitSeconds=20");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var sent = await WorkforceClient.ReadAsync(
            await client.PostAsync($"/api/v1/agents/{worker.Id()}/messages", new { type = "task_assignment", payload = new { task = "translate", to = "de" } }),
            HttpStatusCode.Created);
        var received = Assert.Single(Items(await WorkforceClient.ReadAsync(await poll)));

        Assert.Equal(sent.Id(), received.Id());
        Assert.Equal("task_assignment", received.Str("type"));
        Assert.Equal("tenant", received["sender"]!.Str("kind"));
        Assert.Equal(tenantId, received["sender"]!.Str("id"));
        Assert.Equal(worker.Id(), Guid.Parse(received.Str("receiver")));
        Assert.Equal("de", received["payload"]!["to"]!.GetValue<string>());
        Assert.Equal(sent.Str("timestamp"), received.Str("timestamp"));
        Assert.Equal(1, received["delivery"]!["attempt"]!.GetValue<int>());
        Assert.Null(sent["delivery"]);

        Assert.Equal(HttpStatusCode.NoContent, (await workerClient.PostAsync($"/api/v1/agents/{worker.Id()}/messages/{sent.Id()}/ack")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await workerClient.PostAsync($"/api/v1/agents/{worker.Id()}/messages/{sent.Id()}/ack")).StatusCode);
        Assert.Empty(Items(await WorkforceClient.ReadAsync(await workerClient.GetAsync($"/api/v1/agents/{worker.Id()}/messages"))));
    }

    [Fact]
    public async Task An_agent_key_sends_as_its_agent_and_messages_arrive_in_send_order()
    {
        using var client = await factory.NewTenantAsync();
        var manager = await client.RegisterAsync("manager");
        var worker = await client.RegisterAsync("worker");
        using var managerClient = factory.Client(manager.Str("agentKey"));
        using var workerClient = factory.Client(worker.Str("agentKey"));

        foreach (var step in new[] { "one", "two", "three" })
        {
            await WorkforceClient.ReadAsync(await managerClient.PostAsync($"/api/v1/agents/{worker.Id()}/messages", new { type = step }), HttpStatusCode.Created);
        }

        var batch = Items(await WorkforceClient.ReadAsync(await workerClient.GetAsync($"/api/v1/agents/{worker.Id()}/messages?limit=2")));
        var rest = Items(await WorkforceClient.ReadAsync(await workerClient.GetAsync($"/api/v1/agents/{worker.Id()}/messages")));

        Assert.Equal(["one", "two"], batch.Select(m => m.Str("type")));
        Assert.Equal(["three"], rest.Select(m => m.Str("type")));
        Assert.All(batch, m => Assert.Equal("agent", m["sender"]!.Str("kind")));
        Assert.All(batch, m => Assert.Equal(manager.Id(), Guid.Parse(m["sender"]!.Str("id"))));
    }

    [Fact]
    public async Task A_broadcast_is_fanned_out_to_each_matching_agent_but_the_sender()
    {
        using var client = await factory.NewTenantAsync();
        var manager = await RegisterAsync(client, "manager", "strategic", ["translate"]);
        var translator = await RegisterAsync(client, "translator", "operational", ["translate"]);
        var other = await RegisterAsync(client, "other", "operational", ["summarize"]);
        await RegisterAsync(client, "tactician", "tactical", ["translate"]);
        using var managerClient = factory.Client(manager.Str("agentKey"));

        var sent = await WorkforceClient.ReadAsync(
            await managerClient.PostAsync("/api/v1/messages", new { type = "task_assignment", payload = new { batch = 7 }, to = new { role = "operational", capability = "Translate" } }),
            HttpStatusCode.Created);
        var toAll = await WorkforceClient.ReadAsync(await managerClient.PostAsync("/api/v1/messages", new { type = "shutdown" }), HttpStatusCode.Created);

        var message = Assert.Single(Items(sent));
        Assert.Equal(translator.Id(), Guid.Parse(message.Str("receiver")));
        Assert.Equal(3, Items(toAll).Count);
        Assert.DoesNotContain(Items(toAll), m => Guid.Parse(m.Str("receiver")) == manager.Id());
        Assert.Single(Items(toAll).Select(m => m.Str("broadcastId")).Distinct());
        Assert.Equal(3, Items(toAll).Select(m => m.Id()).Distinct().Count());
        using var otherClient = factory.Client(other.Str("agentKey"));
        Assert.Equal(["shutdown"], Items(await WorkforceClient.ReadAsync(await otherClient.GetAsync($"/api/v1/agents/{other.Id()}/messages"))).Select(m => m.Str("type")));
    }

    [Fact]
    public async Task An_unacknowledged_message_is_delivered_again_after_the_visibility_timeout()
    {
        await using var quick = factory.With(new Dictionary<string, string?> { ["Workforce:Messaging:VisibilityTimeout"] = "00:00:01" });
        using var client = await quick.NewTenantAsync();
        var worker = await client.RegisterAsync();
        using var workerClient = quick.Client(worker.Str("agentKey"));
        var sent = await WorkforceClient.ReadAsync(await client.PostAsync($"/api/v1/agents/{worker.Id()}/messages", new { type = "ping" }), HttpStatusCode.Created);
        Assert.Single(Items(await WorkforceClient.ReadAsync(await workerClient.GetAsync($"/api/v1/agents/{worker.Id()}/messages"))));

        var again = Assert.Single(Items(await WorkforceClient.ReadAsync(await workerClient.GetAsync($"/api/v1/agents/{worker.Id()}/messages?waitSeconds=20"))));

        Assert.Equal(sent.Id(), again.Id());
        Assert.Equal(2, again["delivery"]!["attempt"]!.GetValue<int>());
    }

    [Fact]
    public async Task Only_the_agents_own_key_receives_and_acknowledges_its_messages()
    {
        using var client = await factory.NewTenantAsync();
        var worker = await client.RegisterAsync("worker");
        var peer = await client.RegisterAsync("peer");
        using var peerClient = factory.Client(peer.Str("agentKey"));
        var sent = await WorkforceClient.ReadAsync(await client.PostAsync($"/api/v1/agents/{worker.Id()}/messages", new { type = "x" }), HttpStatusCode.Created);

        await WorkforceClient.ProblemAsync(await client.GetAsync($"/api/v1/agents/{worker.Id()}/messages"), HttpStatusCode.Forbidden);
        await WorkforceClient.ProblemAsync(await peerClient.GetAsync($"/api/v1/agents/{worker.Id()}/messages"), HttpStatusCode.Forbidden);
        await WorkforceClient.ProblemAsync(await peerClient.PostAsync($"/api/v1/agents/{worker.Id()}/messages/{sent.Id()}/ack"), HttpStatusCode.Forbidden);
        await WorkforceClient.ProblemAsync(await peerClient.PostAsync($"/api/v1/agents/{peer.Id()}/messages/{sent.Id()}/ack"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tenants_never_reach_each_others_agents()
    {
        using var mine = await factory.NewTenantAsync();
        using var theirs = await factory.NewTenantAsync();
        var worker = await mine.RegisterAsync();
        await theirs.RegisterAsync();

        await WorkforceClient.ProblemAsync(await theirs.PostAsync($"/api/v1/agents/{worker.Id()}/messages", new { type = "x" }), HttpStatusCode.NotFound);
        var broadcast = await WorkforceClient.ReadAsync(await theirs.PostAsync("/api/v1/messages", new { type = "x" }), HttpStatusCode.Created);

        Assert.DoesNotContain(Items(broadcast), m => Guid.Parse(m.Str("receiver")) == worker.Id());
        using var workerClient = factory.Client(worker.Str("agentKey"));
        Assert.Empty(Items(await WorkforceClient.ReadAsync(await workerClient.GetAsync($"/api/v1/agents/{worker.Id()}/messages"))));
    }

    [Fact]
    public async Task Invalid_messages_are_problems_that_name_the_field()
    {
        using var client = await factory.NewTenantAsync();
        var worker = await client.RegisterAsync();
        using var workerClient = factory.Client(worker.Str("agentKey"));

        var untyped = await WorkforceClient.ProblemAsync(await client.PostAsync($"/api/v1/agents/{worker.Id()}/messages", new { payload = 1 }), HttpStatusCode.BadRequest);
        var badRole = await WorkforceClient.ProblemAsync(await client.PostAsync("/api/v1/messages", new { type = "x", to = new { capability = "" } }), HttpStatusCode.BadRequest);
        var tooLarge = await client.PostAsync($"/api/v1/agents/{worker.Id()}/messages", new { type = "x", payload = new string('x', 300 * 1024) });
        var longWait = await WorkforceClient.ProblemAsync(await workerClient.GetAsync($"/api/v1/agents/{worker.Id()}/messages?waitSeconds=31"), HttpStatusCode.BadRequest);

        Assert.NotNull(untyped["errors"]!["type"]);
        Assert.NotNull(badRole["errors"]!["to.capability"]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(longWait["errors"]!["waitSeconds"]);
    }

    [Fact]
    public async Task A_full_inbox_refuses_the_send_with_429_until_messages_are_acknowledged()
    {
        await using var small = factory.With(new Dictionary<string, string?> { ["Workforce:Messaging:MaxInboxMessages"] = "2" });
        using var client = await small.NewTenantAsync();
        var worker = await client.RegisterAsync();
        using var workerClient = small.Client(worker.Str("agentKey"));
        var first = await WorkforceClient.ReadAsync(await client.PostAsync($"/api/v1/agents/{worker.Id()}/messages", new { type = "a" }), HttpStatusCode.Created);
        await WorkforceClient.ReadAsync(await client.PostAsync($"/api/v1/agents/{worker.Id()}/messages", new { type = "b" }), HttpStatusCode.Created);

        var refused = await client.PostAsync($"/api/v1/agents/{worker.Id()}/messages", new { type = "c" });
        var problem = await WorkforceClient.ProblemAsync(refused, (HttpStatusCode)429);
        Assert.Equal("https://workforce.dev/problems/inbox-full", problem.Str("type"));
        Assert.Equal([worker.Id().ToString()], problem["fullInboxes"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.NotNull(refused.Headers.RetryAfter);

        Assert.Equal(HttpStatusCode.NoContent, (await workerClient.PostAsync($"/api/v1/agents/{worker.Id()}/messages/{first.Id()}/ack")).StatusCode);
        await WorkforceClient.ReadAsync(await client.PostAsync($"/api/v1/agents/{worker.Id()}/messages", new { type = "c" }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Sends_and_acknowledgements_are_audited_and_receives_are_not()
    {
        using var client = await factory.NewTenantAsync();
        var worker = await client.RegisterAsync();
        using var workerClient = factory.Client(worker.Str("agentKey"));
        var sent = await WorkforceClient.ReadAsync(await client.PostAsync($"/api/v1/agents/{worker.Id()}/messages", new { type = "a" }), HttpStatusCode.Created);
        await WorkforceClient.ReadAsync(await workerClient.GetAsync($"/api/v1/agents/{worker.Id()}/messages"));
        await workerClient.PostAsync($"/api/v1/agents/{worker.Id()}/messages/{sent.Id()}/ack");
        await WorkforceClient.ReadAsync(await client.PostAsync("/api/v1/messages", new { type = "b" }), HttpStatusCode.Created);

        var recorder = factory.Services.GetRequiredService<AuditRecorder>();
        var stopwatch = Stopwatch.StartNew();
        List<string> actions;
        do
        {
            await recorder.FlushAsync(CancellationToken.None);
            actions = [.. Items(await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/audit?limit=500"))).Select(e => e.Str("action"))];
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"Audited so far: {string.Join(", ", actions)}");
        }
        while (actions.Count < 4);

        Assert.Contains("POST v1/agents/{id}/messages", actions);
        Assert.Contains("POST v1/agents/{id}/messages/{messageId}/ack", actions);
        Assert.Contains("POST v1/messages", actions);
        Assert.DoesNotContain(actions, a => a.StartsWith("GET", StringComparison.Ordinal));
    }

    private static List<JsonNode> Items(JsonObject batch) => [.. batch["items"]!.AsArray().Select(m => m!)];

    private static async Task<JsonObject> RegisterAsync(WorkforceClient client, string name, string role, string[] capabilities) =>
        await WorkforceClient.ReadAsync(await client.PostAsync("/api/v1/agents", new { name, role, capabilities }), HttpStatusCode.Created);
}

public sealed class SqliteMessagingApiTests(WorkforceApiFactory factory) : MessagingApiTests(factory), IClassFixture<WorkforceApiFactory>;

public sealed class AzuriteMessagingApiTests(AzuriteApiFactory factory) : MessagingApiTests(factory), IClassFixture<AzuriteApiFactory>;
