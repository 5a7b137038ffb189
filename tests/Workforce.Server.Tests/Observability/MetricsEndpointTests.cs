using System.Net;

namespace Workforce.Server.Tests.Observability;

/// <summary>The server with its levels sampled every 100 ms, so the gauges catch up within a test.</summary>
public sealed class MetricsApiFactory() : WorkforceApiFactory(TestStorage.Sqlite, new Dictionary<string, string?>
{
    ["Workforce:Metrics:LevelsInterval"] = "00:00:00.100",
});

/// <summary>
/// The meter is named, and OpenTelemetry listens by name to every meter in the process, so servers in other test
/// classes would add to these counts: this collection runs alone.
/// </summary>
[CollectionDefinition(nameof(MeterOwners), DisableParallelization = true)]
public sealed class MeterOwners;

/// <summary>What Prometheus reads on /metrics after a small workload: the counts, the latencies and the levels.</summary>
[Collection(nameof(MeterOwners))]
public sealed class MetricsEndpointTests(MetricsApiFactory factory) : IClassFixture<MetricsApiFactory>
{
    [Fact]
    public async Task A_workload_shows_in_the_task_counters_by_priority()
    {
        var before = await FreshScrapeAsync();
        var (tenantId, client) = await factory.NewTenantWithIdAsync();
        using var _ = client;
        var agent = await client.RegisterAsync(capacity: 4);
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var lease = $"/api/v1/agents/{agent.Id()}/lease";

        await client.SubmitAsync(new { type = "t", priority = "high" });
        await client.SubmitAsync(new { type = "t", priority = "high" });
        for (var i = 0; i < 2; i++)
        {
            var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync(lease));
            await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{leased.Id()}/start"));
            await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{leased.Id()}/complete", new { result = i }));
        }

        await client.SubmitAsync(new { type = "t", priority = "medium" });
        var flaky = await WorkforceClient.ReadAsync(await agentClient.PostAsync(lease));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{flaky.Id()}/start"));
        Assert.Equal("pending", (await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{flaky.Id()}/fail", new { error = "flaky", retryable = true }))).Str("state"));

        await client.SubmitAsync(new { type = "t", priority = "critical" });
        var broken = await WorkforceClient.ReadAsync(await agentClient.PostAsync(lease));
        Assert.Equal("failed", (await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{broken.Id()}/fail", new { error = "bad", retryable = false }))).Str("state"));

        await client.SubmitAsync(new { type = "t", priority = "low" });
        var unwanted = await client.SubmitAsync(new { type = "t", priority = "low" });
        await WorkforceClient.ReadAsync(await client.PostAsync($"/api/v1/tasks/{unwanted.Id()}/cancel"));

        var after = await EventuallyAsync(scrape => Delta(before, scrape, "workforce_tasks_cancelled_total", "low") == 1, "the cancellation is counted");
        Assert.Equal(2, Delta(before, after, "workforce_tasks_submitted_total", "high"));
        Assert.Equal(1, Delta(before, after, "workforce_tasks_submitted_total", "medium"));
        Assert.Equal(1, Delta(before, after, "workforce_tasks_submitted_total", "critical"));
        Assert.Equal(2, Delta(before, after, "workforce_tasks_submitted_total", "low"));
        Assert.Equal(2, Delta(before, after, "workforce_tasks_leased_total", "high"));
        Assert.Equal(1, Delta(before, after, "workforce_tasks_leased_total", "medium"));
        Assert.Equal(0, Delta(before, after, "workforce_tasks_leased_total", "low"));
        Assert.Equal(2, Delta(before, after, "workforce_tasks_completed_total", "high"));
        Assert.Equal(0, Delta(before, after, "workforce_tasks_completed_total", "medium"));
        Assert.Equal(1, Delta(before, after, "workforce_tasks_retried_total", "medium"));
        Assert.Equal(1, Delta(before, after, "workforce_tasks_failed_total", "critical"));
        Assert.Equal(0, Delta(before, after, "workforce_tasks_failed_total", "medium"));

        // Each lease observed its wait; only the attempts that started observed a run time.
        Assert.Equal(2, Delta(before, after, "workforce_task_schedule_to_start_duration_seconds_count", "high"));
        Assert.Equal(1, Delta(before, after, "workforce_task_schedule_to_start_duration_seconds_count", "critical"));
        Assert.Equal(2, Delta(before, after, "workforce_task_run_duration_seconds_count", "high"));
        Assert.Equal(1, Delta(before, after, "workforce_task_run_duration_seconds_count", "medium"));
        Assert.Equal(0, Delta(before, after, "workforce_task_run_duration_seconds_count", "critical"));
        Assert.True(after.Value("workforce_task_schedule_to_start_duration_seconds_bucket", ("priority", "high"), ("le", "+Inf")) >= 2);
        Assert.DoesNotContain(tenantId, after.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant_id=", after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leases_store_commits_and_batches_are_timed_and_sized()
    {
        var before = await FreshScrapeAsync();
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync(capacity: 2);
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var lease = $"/api/v1/agents/{agent.Id()}/lease";

        // Nothing to lease: the request gives up empty (204).
        Assert.Equal(HttpStatusCode.NoContent, (await agentClient.PostAsync(lease)).StatusCode);
        await client.SubmitAsync(new { type = "b", priority = "high" });
        var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync(lease));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{leased.Id()}/start"));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{leased.Id()}/complete", new { result = 1 }));

        // Audit entries and counted API calls are flushed about once a second.
        var after = await EventuallyAsync(scrape =>
                Delta(before, scrape, "workforce_batch_size_count", ("batch", "audit")) >= 1 && Delta(before, scrape, "workforce_batch_size_count", ("batch", "api_calls")) >= 1,
            "the audit and API-call flushes are sized");
        Assert.Equal(1, Delta(before, after, "workforce_lease_wait_duration_seconds_count", ("outcome", "empty")));
        Assert.Equal(1, Delta(before, after, "workforce_lease_wait_duration_seconds_count", ("outcome", "leased")));
        Assert.Equal(0, Delta(before, after, "workforce_lease_wait_duration_seconds_count", ("outcome", "refused")));
        Assert.True(after.Value("workforce_lease_wait_duration_seconds_bucket", ("outcome", "leased"), ("le", "30")) >= 1);

        // Registration, submission, two lease transactions and the completion at least, each committed.
        var commits = Delta(before, after, "workforce_store_commit_duration_seconds_count", ("db_system_name", "sqlite"), ("outcome", "committed"));
        Assert.True(commits >= 5, $"{commits} commits timed");
        // Every commit of the group-commit writer holds one write or more, so the sizes add up to the commits at least.
        var writes = Delta(before, after, "workforce_batch_size_sum", ("batch", "sqlite_commit"));
        Assert.True(Delta(before, after, "workforce_batch_size_count", ("batch", "sqlite_commit")) >= 1);
        Assert.True(writes >= commits, $"{writes} writes grouped, {commits} commits timed");
        Assert.True(Delta(before, after, "workforce_batch_size_sum", ("batch", "api_calls")) >= 3);
    }

    [Fact]
    public async Task The_gauges_follow_the_levels_in_storage()
    {
        using var client = await factory.NewTenantAsync();
        var before = await SettledScrapeAsync();
        var agent = await client.RegisterAsync(capacity: 3);
        using var agentClient = factory.Client(agent.Str("agentKey"));
        await client.SubmitAsync(new { type = "g", priority = "critical" });
        await client.SubmitAsync(new { type = "g", priority = "low" });
        await client.SubmitAsync(new { type = "g", priority = "low" });
        var pendingLow = before.Value("workforce_tasks_pending", ("priority", "low"));
        var held = before.Value("workforce_agent_slots_used");

        var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        Assert.Equal("critical", leased.Str("priority"));

        var after = await EventuallyAsync(
            scrape => scrape.Value("workforce_tasks_pending", ("priority", "low")) == pendingLow + 2 && scrape.Value("workforce_agent_slots_used") == held + 1,
            "the levels are sampled");
        Assert.Equal(before.Value("workforce_tasks_pending", ("priority", "critical")), after.Value("workforce_tasks_pending", ("priority", "critical")));
        Assert.Equal(before.Value("workforce_tasks_active", ("state", "assigned")) + 1, after.Value("workforce_tasks_active", ("state", "assigned")));
        Assert.Equal(before.Value("workforce_agent_slots_capacity") + 3, after.Value("workforce_agent_slots_capacity"));
        Assert.True(after.Value("workforce_agents", ("status", "online")) >= 1);
        Assert.Equal(0, after.Value("workforce_agents", ("status", "offline")));
        Assert.True(after.Has("workforce_queue_depth", ("queue", "tasks-high")));
        Assert.True(after.Has("workforce_queue_dead_letters", ("queue", "notifications")));
        Assert.True(after.Has("workforce_durable_instances_active"));
        Assert.InRange(after.Value("workforce_levels_age_seconds"), 0, 5);
    }

    [Fact]
    public async Task Http_requests_are_timed_by_route_and_status()
    {
        using var client = factory.Tenant();
        await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/tasks"));
        await WorkforceClient.ProblemAsync(await client.GetAsync($"/api/v1/tasks/{Guid.NewGuid()}"), HttpStatusCode.NotFound);

        var scrape = await EventuallyAsync(
            scrape => scrape.Value("http_server_request_duration_seconds_count", ("http_route", "/api/v1/tasks/{id:guid}"), ("http_response_status_code", "404")) >= 1,
            "the 404 is timed");
        Assert.True(scrape.Value("http_server_request_duration_seconds_count", ("http_route", "/api/v1/tasks"), ("http_request_method", "GET"), ("http_response_status_code", "200")) >= 1);
    }

    [Fact]
    public async Task Promtool_accepts_the_scrape()
    {
        Promtool.SkipUnlessInstalled();
        using var client = await factory.NewTenantAsync();
        await client.SubmitAsync(new { type = "p", priority = "high" });
        var scrape = await ScrapeAsync();

        var (exitCode, output) = await Promtool.RunAsync(scrape.Text, "check", "metrics");

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Promtool_accepts_the_alert_rules()
    {
        Promtool.SkipUnlessInstalled();
        var rules = Path.Combine(Workforce.Testing.ServerProcess.RepositoryRoot(), "ops", "prometheus", "alerts.yml");

        var (exitCode, output) = await Promtool.RunAsync(null, "check", "rules", rules);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_alert_rules_pass_their_promtool_unit_tests()
    {
        Promtool.SkipUnlessInstalled();
        var tests = Path.Combine(Workforce.Testing.ServerProcess.RepositoryRoot(), "ops", "prometheus", "alerts.test.yml");

        var (exitCode, output) = await Promtool.RunAsync(null, "test", "rules", tests);

        Assert.True(exitCode == 0, output);
    }

    [Theory]
    [InlineData("prometheus/alerts.yml")]
    [InlineData("grafana/workforce-dashboard.json")]
    public async Task The_ops_kit_names_only_metrics_the_server_exports(string file)
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        foreach (var (outcome, body) in new (string, object)[] { ("complete", new { result = 1 }), ("fail", new { error = "x", retryable = false }), ("fail", new { error = "x", retryable = true }) })
        {
            await client.SubmitAsync(new { type = "r", priority = "high" });
            var task = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
            await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{task.Id()}/start"));
            await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{task.Id()}/{outcome}", body));
        }

        var cancelled = await client.SubmitAsync(new { type = "r", priority = "low" });
        await WorkforceClient.ReadAsync(await client.PostAsync($"/api/v1/tasks/{cancelled.Id()}/cancel"));
        var text = await File.ReadAllTextAsync(Path.Combine(Workforce.Testing.ServerProcess.RepositoryRoot(), "ops", file), TestContext.Current.CancellationToken);

        // A name followed by "_" or "*" is prose about a family (workforce_agent_slots_*), not a series.
        // The per-tenant quota gauges are off here (MetricsSettingsTests turns them on and checks their names).
        var named = System.Text.RegularExpressions.Regex.Matches(text, @"\b(workforce|http_server)_[a-z_]*[a-z]\b").Select(match => match.Value)
            .Where(name => !name.StartsWith("workforce_tenant_quota_", StringComparison.Ordinal)).Distinct().ToList();
        // The exporter answers a scrape from its cache for 300 ms: an earlier test's scrape may be what comes back first.
        var exported = (await EventuallyAsync(scrape => named.All(scrape.Names.Contains), "every series the kit names is exported")).Names.ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Contains(name, exported));
    }

    private static double Delta(PrometheusScrape before, PrometheusScrape after, string name, string priority) =>
        Delta(before, after, name, ("priority", priority));

    private static double Delta(PrometheusScrape before, PrometheusScrape after, string name, params (string Key, string Value)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);

    /// <summary>
    /// A scrape made after the exporter's 300 ms cache of the last one has run out: a baseline taken from the cache
    /// would predate what the test before left, and every delta against it would be off.
    /// </summary>
    private async Task<PrometheusScrape> FreshScrapeAsync()
    {
        await Task.Delay(400, TestContext.Current.CancellationToken);
        return await ScrapeAsync();
    }

    private async Task<PrometheusScrape> ScrapeAsync()
    {
        using var anonymous = factory.Client(null);
        var response = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return new PrometheusScrape(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// A scrape whose levels have caught up with what earlier tests left: the levels are sampled every 100 ms and
    /// the exporter keeps a scrape for 300 ms, so two scrapes half a second apart that agree have settled.
    /// </summary>
    private async Task<PrometheusScrape> SettledScrapeAsync()
    {
        string[] levels = ["workforce_tasks_pending", "workforce_tasks_active", "workforce_agent_slots_used", "workforce_agent_slots_capacity", "workforce_agents"];
        var previous = await ScrapeAsync();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            var current = await ScrapeAsync();
            if (levels.All(name => Lines(previous, name) == Lines(current, name)))
            {
                return current;
            }

            previous = current;
        }

        throw new TimeoutException("The levels did not settle.");

        static string Lines(PrometheusScrape scrape, string name) =>
            string.Join('\n', scrape.Text.Split('\n').Where(line => line.StartsWith(name + "{", StringComparison.Ordinal)));
    }

    private async Task<PrometheusScrape> EventuallyAsync(Func<PrometheusScrape, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var scrape = await ScrapeAsync();
            if (condition(scrape))
            {
                return scrape;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}:\n{scrape.Text}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}

/// <summary>
/// The settings, on servers of their own. A class apart, in the same collection: a second server alive beside the
/// fixture's would publish a second set of the same instruments into the one process.
/// </summary>
[Collection(nameof(MeterOwners))]
public sealed class MetricsSettingsTests
{
    [Fact]
    public async Task The_endpoint_asks_for_the_admin_key_when_told_to()
    {
        await using var guarded = new WorkforceApiFactory().With(new Dictionary<string, string?> { ["Workforce:Metrics:RequireAdminKey"] = "true" });

        using var anonymous = guarded.Client(null);
        using var tenant = guarded.Tenant();
        using var admin = guarded.Client(WorkforceApiFactory.AdminKey);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync("/metrics")).StatusCode);
        var response = await admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(text.Contains("workforce_tasks_pending", StringComparison.Ordinal), text);
    }

    [Fact]
    public async Task The_endpoint_is_gone_when_metrics_are_off()
    {
        await using var off = new WorkforceApiFactory().With(new Dictionary<string, string?> { ["Workforce:Metrics:Enabled"] = "false" });
        using var client = off.Client(null);

        var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Quota_remaining_is_labelled_by_tenant_when_turned_on()
    {
        await using var on = new WorkforceApiFactory().With(new Dictionary<string, string?>
        {
            ["Workforce:Metrics:TenantQuotas"] = "true",
            ["Workforce:Metrics:LevelsInterval"] = "00:00:00.100",
        });
        var (tenantId, client) = await on.NewTenantWithIdAsync();
        using var _ = client;
        await client.SubmitAsync(new { type = "q" });
        await client.SubmitAsync(new { type = "q" });
        using var anonymous = on.Client(null);

        // A free tenant: 1000 tasks a period, two used.
        var scrape = await EventuallyAsync(anonymous.Http, scrape =>
            scrape.Value("workforce_tenant_quota_remaining", ("tenant", tenantId), ("quota", "tasks")) == 998, "the tenant's quota is sampled");
        Assert.Equal(1000, scrape.Value("workforce_tenant_quota_limit", ("tenant", tenantId), ("quota", "tasks")));
        Assert.Equal(100 * 60, scrape.Value("workforce_tenant_quota_limit", ("tenant", tenantId), ("quota", "compute_seconds")));
        Assert.True(scrape.Has("workforce_tenant_quota_remaining", ("tenant", tenantId), ("quota", "api_calls")));
        Assert.True(scrape.Has("workforce_tenant_quota_remaining", ("tenant", tenantId), ("quota", "storage_bytes")));
    }

    [Fact]
    public async Task Quota_remaining_is_not_exported_by_default()
    {
        await using var off = new WorkforceApiFactory().With(new Dictionary<string, string?> { ["Workforce:Metrics:LevelsInterval"] = "00:00:00.100" });
        var (tenantId, client) = await off.NewTenantWithIdAsync();
        using var _ = client;
        await client.SubmitAsync(new { type = "q" });
        using var anonymous = off.Client(null);

        // Once the levels have been sampled since the tenant was made (its pending task shows), still no quota series.
        var scrape = await EventuallyAsync(anonymous.Http, scrape => scrape.Value("workforce_tasks_pending", ("priority", "medium")) >= 1, "the levels are sampled");
        Assert.DoesNotContain("workforce_tenant_quota_", scrape.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(tenantId, scrape.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quota_tenant_bound_out_of_range_stops_the_start()
    {
        await using var invalid = new WorkforceApiFactory().With(new Dictionary<string, string?>
        {
            ["Workforce:Metrics:TenantQuotas"] = "true",
            ["Workforce:Metrics:TenantQuotasMaxTenants"] = "0",
        });

        var error = Assert.ThrowsAny<Exception>(() => invalid.Client(null).Dispose());

        Assert.Contains("TenantQuotasMaxTenants", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<PrometheusScrape> EventuallyAsync(HttpClient client, Func<PrometheusScrape, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var scrape = new PrometheusScrape(await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
            if (condition(scrape))
            {
                return scrape;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}:\n{scrape.Text}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
