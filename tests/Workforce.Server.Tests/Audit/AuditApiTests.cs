using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Api.Audit;
using Workforce.Core.Audit;
using Workforce.Core.Storage;
using Workforce.Core.Tenants;

namespace Workforce.Server.Tests.Audit;

public abstract class AuditApiTests(WorkforceApiFactory factory)
{
    [Fact]
    public async Task A_submission_a_registration_and_a_cancel_are_audited_with_actor_action_target_and_outcome()
    {
        var (_, client) = await factory.NewTenantWithIdAsync();
        var task = await client.SubmitAsync(new { type = "audited" });
        var agent = await client.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/tasks/{task.Id()}/cancel")).StatusCode);

        var entries = await AuditAsync(client, "", expected: 3);

        var actor = AuditEntry.TenantKeyActor(ApiKeys.Hash(client.ApiKey));
        Assert.Equal(
            [
                ("POST v1/tasks/{id}/cancel", $"id={task.Id()}", 200),
                ("POST v1/agents", $"v1/agents/{agent.Id()}", 201),
                ("POST v1/tasks", $"v1/tasks/{task.Id()}", 202),
            ],
            entries.Select(e => (e.Str("action"), e.Str("target"), e["status"]!.GetValue<int>())));
        Assert.All(entries, e => Assert.Equal(actor, e.Str("actor")));
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.Str("requestId"))));
    }

    [Fact]
    public async Task A_refused_request_is_audited_with_its_status_and_reads_are_not()
    {
        using var client = await factory.NewTenantAsync();
        var unreadable = await client.PostRawAsync("/api/v1/tasks", "{\"type\": ");
        var invalid = await client.PostAsync("/api/v1/tasks", new { type = "" });
        var problem = await WorkforceClient.ProblemAsync(invalid, HttpStatusCode.BadRequest);
        await client.GetAsync("/api/v1/tasks");

        var entries = await AuditAsync(client, "", expected: 2);

        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.Equal([400, 400], entries.Select(e => e["status"]!.GetValue<int>()));
        Assert.Equal(problem.Str("traceId"), entries[0].Str("requestId"));
        Assert.All(entries, e => Assert.Equal("POST v1/tasks", e.Str("action")));
    }

    [Fact]
    public async Task No_entry_holds_a_key_or_a_keys_hash()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        Assert.Equal(HttpStatusCode.NoContent, (await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/heartbeat")).StatusCode);

        await AuditAsync(client, "", expected: 2);
        var raw = await (await client.GetAsync("/api/v1/audit")).Content.ReadAsStringAsync();

        foreach (var key in new[] { client.ApiKey, agent.Str("agentKey") })
        {
            Assert.DoesNotContain(key, raw, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiKeys.Hash(key), raw, StringComparison.Ordinal);
        }

        Assert.Contains($"\"agent:{agent.Id()}\"", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_tenant_sees_only_its_own_entries_and_agent_keys_are_refused()
    {
        using var mine = await factory.NewTenantAsync();
        using var theirs = await factory.NewTenantAsync();
        var agent = await mine.RegisterAsync();
        await theirs.SubmitAsync(new { type = "theirs" });
        using var agentClient = factory.Client(agent.Str("agentKey"));

        var own = await AuditAsync(mine, "", expected: 1);
        var others = await AuditAsync(theirs, "", expected: 1);

        Assert.Equal(["POST v1/agents"], own.Select(e => e.Str("action")));
        Assert.Equal(["POST v1/tasks"], others.Select(e => e.Str("action")));
        await WorkforceClient.ProblemAsync(await agentClient.GetAsync("/api/v1/audit"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Actor_action_and_time_filters_narrow_the_log_and_pages_follow()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        for (var i = 0; i < 3; i++)
        {
            await client.SubmitAsync(new { type = "many" });
            await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/heartbeat");
        }

        var all = await AuditAsync(client, "", expected: 7);
        var byAgent = await AuditAsync(client, $"actor=agent:{agent.Id()}", expected: 3);
        var submissions = await AuditAsync(client, "action=" + Uri.EscapeDataString("POST v1/tasks"), expected: 3);
        var future = await ReadAsync(client, "from=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O")) + "&to=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(2).ToString("O")));
        var first = await ReadAsync(client, "limit=4");
        var second = await ReadAsync(client, "limit=4&cursor=" + Uri.EscapeDataString(first["nextCursor"]!.GetValue<string>()));

        Assert.All(byAgent, e => Assert.Equal("POST v1/agents/{id}/heartbeat", e.Str("action")));
        Assert.All(submissions, e => Assert.Equal(202, e["status"]!.GetValue<int>()));
        Assert.Empty(future["items"]!.AsArray());
        Assert.Equal(all.Select(e => e.Str("id")), first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(e => e!.Str("id")));
        Assert.Null(second["nextCursor"]);
    }

    [Fact]
    public async Task A_foreign_cursor_an_out_of_range_limit_and_a_backwards_range_are_400()
    {
        using var client = await factory.NewTenantAsync();

        await WorkforceClient.ProblemAsync(await client.GetAsync("/api/v1/audit?cursor=bm90LWEtY3Vyc29y"), HttpStatusCode.BadRequest);
        await WorkforceClient.ProblemAsync(await client.GetAsync("/api/v1/audit?limit=501"), HttpStatusCode.BadRequest);
        await WorkforceClient.ProblemAsync(await client.GetAsync("/api/v1/audit?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Tenant_administration_is_audited_in_the_platform_log()
    {
        var (id, _) = await factory.NewTenantWithIdAsync();
        var log = factory.Services.GetRequiredService<IAuditLog>();
        var recorder = factory.Services.GetRequiredService<AuditRecorder>();
        var query = new AuditQuery(AuditEntry.PlatformTenant, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1), AuditEntry.AdminActor, "POST v1/tenants");

        var found = await Eventually(async () =>
        {
            await recorder.FlushAsync(CancellationToken.None);
            return (await log.QueryAsync(query, new PageRequest(500, null))).Items.SingleOrDefault(e => e.Target == $"v1/tenants/{id}");
        });

        Assert.Equal(201, found.Status);
    }

    private async Task<IReadOnlyList<JsonNode>> AuditAsync(WorkforceClient client, string query, int expected)
    {
        var recorder = factory.Services.GetRequiredService<AuditRecorder>();
        return await Eventually(async () =>
        {
            await recorder.FlushAsync(CancellationToken.None);
            var items = (await ReadAsync(client, query + "&limit=500"))["items"]!.AsArray().Select(e => e!).ToList();
            return items.Count >= expected ? items : null;
        });
    }

    private static async Task<JsonObject> ReadAsync(WorkforceClient client, string query) => await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/audit?" + query));

    /// <summary>The entry is recorded once the response is on its way, so a test may ask before it is in.</summary>
    private static async Task<T> Eventually<T>(Func<Task<T?>> attempt)
        where T : class
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (await attempt() is { } value)
            {
                return value;
            }

            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), "The audit entries did not show up.");
            await Task.Delay(50);
        }
    }
}

public sealed class SqliteAuditApiTests(WorkforceApiFactory factory) : AuditApiTests(factory), IClassFixture<WorkforceApiFactory>;

public sealed class AzuriteAuditApiTests(AzuriteApiFactory factory) : AuditApiTests(factory), IClassFixture<AzuriteApiFactory>;
