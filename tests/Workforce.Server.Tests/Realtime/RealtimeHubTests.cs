using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workforce.Testing.Realtime;

namespace Workforce.Server.Tests.Realtime;

/// <summary>The live-updates hub through its wire protocol: who may connect, what they receive, and in what shape.</summary>
public sealed class RealtimeHubTests(WorkforceApiFactory factory) : IClassFixture<WorkforceApiFactory>
{
    [Fact]
    public async Task Without_a_key_or_token_negotiation_is_401_problem()
    {
        var refused = await Assert.ThrowsAsync<HubConnectionException>(() => factory.ConnectHubAsync(HubCredential.None));
        using var client = factory.Client(apiKey: null);
        var problem = await WorkforceClient.ProblemAsync(await client.PostAsync("/api/hubs/workforce/negotiate?negotiateVersion=1"), HttpStatusCode.Unauthorized);

        Assert.Equal(401, refused.StatusCode);
        Assert.Contains("X-API-Key", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_key_and_a_tampered_token_are_401()
    {
        using var tenant = await factory.NewTenantAsync();
        var token = await TokenAsync(tenant);
        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");

        var unknownKey = await Assert.ThrowsAsync<HubConnectionException>(() => factory.ConnectHubAsync(HubCredential.Key("wfk_not-a-key")));
        var badToken = await Assert.ThrowsAsync<HubConnectionException>(() => factory.ConnectHubAsync(HubCredential.Token(tampered)));
        var keyAsToken = await Assert.ThrowsAsync<HubConnectionException>(() => factory.ConnectHubAsync(HubCredential.Token(tenant.ApiKey)));

        Assert.Equal([401, 401, 401], new[] { unknownKey.StatusCode, badToken.StatusCode, keyAsToken.StatusCode });
        Assert.Contains("/api/v1/realtime/token", badToken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_key_may_neither_watch_the_tenant_nor_get_a_token()
    {
        using var tenant = await factory.NewTenantAsync();
        var agent = await tenant.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));

        var refused = await Assert.ThrowsAsync<HubConnectionException>(() => factory.ConnectHubAsync(HubCredential.Key(agent.Str("agentKey"))));
        var problem = await WorkforceClient.ProblemAsync(await agentClient.PostAsync("/api/v1/realtime/token"), HttpStatusCode.Forbidden);

        Assert.Equal(403, refused.StatusCode);
        Assert.Contains("tenant key", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_connects_with_an_access_token_and_sees_its_tasks()
    {
        using var tenant = await factory.NewTenantAsync();
        var response = await WorkforceClient.ReadAsync(await tenant.PostAsync("/api/v1/realtime/token"));
        await using var browser = await factory.ConnectHubAsync(HubCredential.Token(response.Str("accessToken")));

        var task = await tenant.SubmitAsync(new { type = "render" });
        var update = await browser.NextAsync("taskUpdated", Contains(task.Id()));

        Assert.Equal("/api/hubs/workforce", response.Str("hubUrl"));
        Assert.DoesNotContain(tenant.ApiKey, response.Str("accessToken"), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.Parse(response.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
        Assert.Equal("pending", Item(update, task.Id()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_client_receives_nothing_of_another_tenant()
    {
        using var owner = await factory.NewTenantAsync();
        using var stranger = await factory.NewTenantAsync();
        await using var ownerHub = await factory.ConnectHubAsync(HubCredential.Key(owner.ApiKey));
        await using var strangerHub = await factory.ConnectHubAsync(HubCredential.Key(stranger.ApiKey));

        var agent = await owner.RegisterAsync("owner-agent");
        var task = await owner.SubmitAsync(new { type = "secret", priority = "critical" });
        using var agentClient = factory.Client(agent.Str("agentKey"));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{task.Id()}/fail", new { error = "boom", retryable = false }));

        // Everything the owner's client was sent by now, the stranger's would have been sent too.
        await ownerHub.NextAsync("taskUpdated", update => Item(update, task.Id()) is { ValueKind: JsonValueKind.Object } item && item.GetProperty("state").GetString() == "failed");
        await ownerHub.NextAsync("notification");
        await ownerHub.NextAsync("queueStats", stats => stats.Argument.GetProperty("failuresPerMinute").GetInt32() == 1);
        await Task.Delay(300, TestContext.Current.CancellationToken);

        var seen = strangerHub.Drain();
        Assert.All(seen, invocation => Assert.Equal("queueStats", invocation.Target));
        Assert.All(seen, invocation => Assert.DoesNotContain(agent.Str("id"), invocation.Argument.GetRawText(), StringComparison.Ordinal));
        Assert.All(seen, invocation => Assert.Equal(0, invocation.Argument.GetProperty("pending").GetProperty("critical").GetInt32()));
        Assert.All(seen, invocation => Assert.Equal(0, invocation.Argument.GetProperty("failuresPerMinute").GetInt32()));
    }

    [Fact]
    public async Task Events_have_the_documented_shapes()
    {
        using var tenant = await factory.NewTenantAsync();
        await using var hub = await factory.ConnectHubAsync(HubCredential.Key(tenant.ApiKey));
        var agent = await tenant.RegisterAsync("shape-agent", ["translate"], capacity: 2);
        var task = await tenant.SubmitAsync(new { type = "translate", priority = "high", maxRetries = 0 });
        using var agentClient = factory.Client(agent.Str("agentKey"));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{task.Id()}/fail", new { error = "model timed out" }));

        var failed = Item(await hub.NextAsync("taskUpdated", update => Item(update, task.Id()) is { ValueKind: JsonValueKind.Object } item
            && item.GetProperty("state").GetString() == "failed"), task.Id());
        var agentUpdate = Item(await hub.NextAsync("agentUpdated", Contains(agent.Id())), agent.Id());
        var notification = (await hub.NextAsync("notification")).Argument;
        var stats = (await hub.NextAsync("queueStats", s => s.Argument.GetProperty("failuresPerMinute").GetInt32() == 1)).Argument;
        var laterStats = (await hub.NextAsync("queueStats", s => s.Argument.GetProperty("failuresPerMinute").GetInt32() == 1)).Argument;

        Assert.Equal(["id", "type", "state", "priority", "agentId", "attempt", "maxRetries", "error", "revision", "updatedAt"], Names(failed));
        Assert.Equal(("translate", "high", agent.Str("id"), 1, "model timed out"),
            (failed.GetProperty("type").GetString(), failed.GetProperty("priority").GetString(), failed.GetProperty("agentId").GetString(),
             failed.GetProperty("attempt").GetInt32(), failed.GetProperty("error").GetString()));
        Assert.Equal(["id", "removed", "name", "status", "activeTasks", "capacity", "capabilities", "metrics", "lastHeartbeatAt", "draining"], Names(agentUpdate));
        Assert.Equal(("shape-agent", "online", 2), (agentUpdate.GetProperty("name").GetString(), agentUpdate.GetProperty("status").GetString(), agentUpdate.GetProperty("capacity").GetInt32()));
        Assert.Equal(["pending", "assigned", "running", "throughputPerMinute", "failuresPerMinute", "at", "server"], Names(stats));
        Assert.Equal(["critical", "high", "medium", "low"], Names(stats.GetProperty("pending")));
        // One id per server process, the same in each of its stats, for a dashboard to add up several servers' figures.
        Assert.Matches("^[0-9a-f]{12}$", stats.GetProperty("server").GetString());
        Assert.Equal(stats.GetProperty("server").GetString(), laterStats.GetProperty("server").GetString());
        Assert.Equal(["level", "message", "at", "event", "eventId"], Names(notification));
        Assert.Equal("task.failed", notification.GetProperty("event").GetString());
        Assert.Equal("error", notification.GetProperty("level").GetString());
        Assert.Contains("model timed out", notification.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_patched_task_is_pushed_as_an_update_and_a_deleted_one_as_a_removal_to_its_tenant_only()
    {
        using var owner = await factory.NewTenantAsync();
        using var stranger = await factory.NewTenantAsync();
        await using var ownerHub = await factory.ConnectHubAsync(HubCredential.Key(owner.ApiKey));
        await using var strangerHub = await factory.ConnectHubAsync(HubCredential.Key(stranger.ApiKey));
        var task = await owner.SubmitAsync(new { type = "edited", priority = "low" });
        await ownerHub.NextAsync("queueStats", stats => Pending(stats, "low") == 1);

        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/tasks/{task.Id()}") { Content = JsonContent.Create(new { priority = "critical" }) };
        await WorkforceClient.ReadAsync(await owner.Http.SendAsync(patch, TestContext.Current.CancellationToken));
        var updated = Item(await ownerHub.NextAsync("taskUpdated", update => Item(update, task.Id()) is { ValueKind: JsonValueKind.Object } item
            && item.GetProperty("priority").GetString() == "critical"), task.Id());
        await ownerHub.NextAsync("queueStats", stats => Pending(stats, "critical") == 1 && Pending(stats, "low") == 0);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"/api/v1/tasks/{task.Id()}", TestContext.Current.CancellationToken)).StatusCode);
        var removed = Item(await ownerHub.NextAsync("taskRemoved", Contains(task.Id())), task.Id());
        await ownerHub.NextAsync("queueStats", stats => Pending(stats, "critical") == 0);

        Assert.Equal(("pending", 2), (updated.GetProperty("state").GetString(), updated.GetProperty("revision").GetInt32()));
        Assert.Equal(["id", "type", "state", "priority", "removedAt"], Names(removed));
        // A pending task is cancelled first, in the deletion's transaction.
        Assert.Equal(("edited", "cancelled", "critical"),
            (removed.GetProperty("type").GetString(), removed.GetProperty("state").GetString(), removed.GetProperty("priority").GetString()));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        // The cancellation of the deleted task is not sent as an update: there is no task left to show.
        Assert.DoesNotContain(ownerHub.Drain(), invocation => invocation.Target == "taskUpdated" && Item(invocation, task.Id()).ValueKind == JsonValueKind.Object
            && Item(invocation, task.Id()).GetProperty("state").GetString() == "cancelled");
        var seen = strangerHub.Drain();
        Assert.All(seen, invocation => Assert.Equal("queueStats", invocation.Target));
        Assert.All(seen, invocation => Assert.DoesNotContain(task.Str("id"), invocation.Argument.GetRawText(), StringComparison.Ordinal));
    }

    private static int Pending(HubInvocation stats, string priority) => stats.Argument.GetProperty("pending").GetProperty(priority).GetInt32();

    [Fact]
    public async Task Agent_metrics_draining_and_removal_are_pushed()
    {
        using var tenant = await factory.NewTenantAsync();
        await using var hub = await factory.ConnectHubAsync(HubCredential.Key(tenant.ApiKey));
        var agent = await tenant.RegisterAsync("metered");
        using var agentClient = factory.Client(agent.Str("agentKey"));

        var metrics = await agentClient.Http.PutAsJsonAsync($"/api/v1/agents/{agent.Id()}/metrics", new { cpuPercent = 42.5, memoryMb = 1800, threadCount = 24 }, TestContext.Current.CancellationToken);
        var metered = await hub.NextAsync("agentUpdated", update => Item(update, agent.Id()) is { ValueKind: JsonValueKind.Object } item
            && item.GetProperty("metrics").ValueKind == JsonValueKind.Object);
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/drain"));
        await hub.NextAsync("agentUpdated", update => Item(update, agent.Id()) is { ValueKind: JsonValueKind.Object } item
            && item.GetProperty("draining").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Http.DeleteAsync($"/api/v1/agents/{agent.Id()}", TestContext.Current.CancellationToken)).StatusCode);
        var removed = await hub.NextAsync("agentUpdated", update => Item(update, agent.Id()) is { ValueKind: JsonValueKind.Object } item
            && item.GetProperty("removed").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, metrics.StatusCode);
        Assert.Equal(42.5, Item(metered, agent.Id()).GetProperty("metrics").GetProperty("cpuPercent").GetDouble());
        Assert.Equal(JsonValueKind.Null, Item(removed, agent.Id()).GetProperty("status").ValueKind);
    }

    [Fact]
    public async Task A_burst_arrives_in_bounded_batches_with_each_task_once_per_batch()
    {
        await using var limited = factory.With(new Dictionary<string, string?> { ["Workforce:Realtime:MaxTaskUpdatesPerBatch"] = "10" });
        using var tenant = limited.Tenant();
        await using var hub = await limited.ConnectHubAsync(HubCredential.Key(tenant.ApiKey));

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => tenant.SubmitAsync(new { type = $"burst-{i}" })));
        var last = await hub.NextAsync("queueStats", stats => stats.Argument.GetProperty("pending").GetProperty("medium").GetInt32() == 100);

        var batches = hub.Drain().Where(i => i.Target == "taskUpdated").Select(i => i.Argument.EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList()).ToList();
        Assert.NotNull(last);
        Assert.All(batches, ids => Assert.InRange(ids.Count, 1, 10));
        Assert.All(batches, ids => Assert.Equal(ids.Count, ids.Distinct().Count()));
    }

    [Fact]
    public async Task Under_a_steady_stream_of_changes_events_go_out_at_their_intervals_not_per_change()
    {
        // More tasks than the Free plan allows a period: on Enterprise, whose limits are unlimited unless set.
        var (tenantId, tenant) = await factory.NewTenantWithIdAsync();
        using var _ = tenant;
        using (var admin = factory.Client(WorkforceApiFactory.AdminKey))
        {
            await WorkforceClient.ReadAsync(await admin.PutAsync($"/api/v1/tenants/{tenantId}/subscription", new { plan = "enterprise" }));
        }

        await using var hub = await factory.ConnectHubAsync(HubCredential.Key(tenant.ApiKey));
        var stop = DateTimeOffset.UtcNow.AddSeconds(2);
        var submitted = 0;
        while (DateTimeOffset.UtcNow < stop)
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => tenant.SubmitAsync(new { type = "stream" })));
            submitted += 10;
        }

        await hub.NextAsync("queueStats", stats => stats.Argument.GetProperty("pending").GetProperty("medium").GetInt32() == submitted);
        var received = hub.Drain();

        // Receipt gaps can be shorter than send gaps when one message was held up, hence the slack.
        Assert.All(Gaps(received, "queueStats"), gap => Assert.True(gap >= TimeSpan.FromMilliseconds(250), $"queueStats {gap.TotalMilliseconds} ms apart"));
        var batches = received.Where(i => i.Target == "taskUpdated").Select(i => i.ReceivedAt).ToList();
        var ticks = (batches[^1] - batches[0]) / TimeSpan.FromMilliseconds(100);
        Assert.True(batches.Count <= ticks + 3, $"{batches.Count} taskUpdated batches in {ticks:0} update intervals.");
        Assert.True(submitted > 100, $"Only {submitted} tasks were submitted in 2 s; the stream was too thin to test.");
    }

    private static IEnumerable<TimeSpan> Gaps(List<HubInvocation> received, string target)
    {
        var times = received.Where(i => i.Target == target).Select(i => i.ReceivedAt).ToList();
        return times.Zip(times.Skip(1), (earlier, later) => later - earlier);
    }

    private static async Task<string> TokenAsync(WorkforceClient tenant) =>
        (await WorkforceClient.ReadAsync(await tenant.PostAsync("/api/v1/realtime/token"))).Str("accessToken");

    private static Func<HubInvocation, bool> Contains(Guid id) => invocation => Item(invocation, id).ValueKind == JsonValueKind.Object;

    /// <summary>The item about <paramref name="id"/> in a batch event; Undefined when the batch has none.</summary>
    private static JsonElement Item(HubInvocation invocation, Guid id) =>
        invocation.Argument.EnumerateArray().FirstOrDefault(item => item.GetProperty("id").GetGuid() == id);

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(property => property.Name)];
}
