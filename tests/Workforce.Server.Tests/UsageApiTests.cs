using System.Net;
using System.Net.Http.Json;

namespace Workforce.Server.Tests;

public abstract class UsageApiTests(MeteredApiFactory factory)
{
    [Fact]
    public async Task Usage_shows_each_meter_of_the_period_against_the_free_plan()
    {
        using var client = await factory.NewTenantAsync();
        await client.SubmitAsync(new { type = "work", payload = new { text = "hi" } });

        var usage = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/usage"));

        Assert.Equal("free", usage.Str("plan"));
        var tasks = usage["meters"]!["tasks"]!;
        Assert.Equal(1m, tasks["used"]!.GetValue<decimal>());
        Assert.Equal(MeteredApiFactory.FreeTasks, tasks["limit"]!.GetValue<decimal>());
        Assert.Equal(MeteredApiFactory.FreeTasks - 1, tasks["remaining"]!.GetValue<decimal>());
        Assert.Equal(100m, usage["meters"]!["computeMinutes"]!["limit"]!.GetValue<decimal>());
        Assert.Equal(13m, usage["meters"]!["storageBytes"]!["used"]!.GetValue<decimal>());
        var start = usage["periodStart"]!.GetValue<DateTimeOffset>();
        Assert.Equal(TimeSpan.FromDays(30), usage["periodEnd"]!.GetValue<DateTimeOffset>() - start);
    }

    [Fact]
    public async Task A_submission_past_the_task_quota_is_a_429_naming_the_meter_use_and_limit()
    {
        using var client = await factory.NewTenantAsync();
        for (var i = 0; i < MeteredApiFactory.FreeTasks; i++)
        {
            await client.SubmitAsync(new { type = "work" });
        }

        var response = await client.PostAsync("/api/v1/tasks", new { type = "work" });

        var problem = await WorkforceClient.ProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.EndsWith("quota-exceeded", problem.Str("type"), StringComparison.Ordinal);
        Assert.Equal("tasks", problem.Str("meter"));
        Assert.Equal(MeteredApiFactory.FreeTasks, problem["used"]!.GetValue<int>());
        Assert.Equal(MeteredApiFactory.FreeTasks, problem["limit"]!.GetValue<int>());
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.FromDays(29));
        var tasks = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/tasks"));
        Assert.Equal(MeteredApiFactory.FreeTasks, tasks["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_upgrade_takes_effect_at_once_and_lifts_the_limit()
    {
        using var client = await factory.NewTenantAsync();
        for (var i = 0; i < MeteredApiFactory.FreeTasks; i++)
        {
            await client.SubmitAsync(new { type = "work" });
        }

        var upgraded = await WorkforceClient.ReadAsync(await client.PutAsync("/api/v1/subscription", new { plan = "professional", overage = "allow" }));

        Assert.Equal("professional", upgraded.Str("plan"));
        Assert.Equal("allow", upgraded.Str("overage"));
        Assert.Equal(49.00m, upgraded["price"]!.GetValue<decimal>());
        await client.SubmitAsync(new { type = "work" });
    }

    [Fact]
    public async Task A_downgrade_waits_for_the_end_of_the_period()
    {
        using var client = await factory.NewTenantAsync();
        await WorkforceClient.ReadAsync(await client.PutAsync("/api/v1/subscription", new { plan = "professional" }));

        var downgrading = await WorkforceClient.ReadAsync(await client.PutAsync("/api/v1/subscription", new { plan = "free" }));

        Assert.Equal("professional", downgrading.Str("plan"));
        Assert.Equal("free", downgrading["scheduled"]!.Str("plan"));
        Assert.Equal(downgrading["periodEnd"]!.GetValue<DateTimeOffset>(), downgrading["scheduled"]!["effectiveAt"]!.GetValue<DateTimeOffset>());
    }

    [Theory]
    [InlineData("{\"plan\":\"gold\"}", "plan")]
    [InlineData("{\"overage\":\"allow\"}", "overage")]
    [InlineData("{\"overage\":\"sometimes\"}", "overage")]
    [InlineData("{\"plan\":\"professional\",\"overageCapPercent\":50}", "overageCapPercent")]
    public async Task A_subscription_change_that_cannot_apply_is_a_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        using var client = await factory.NewTenantAsync();

        var response = await client.Http.PutAsync("/api/v1/subscription", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await WorkforceClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
        var subscription = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/subscription"));
        Assert.Equal(("free", "block"), (subscription.Str("plan"), subscription.Str("overage")));
    }

    [Fact]
    public async Task A_patch_that_grows_the_payload_past_the_storage_quota_is_refused_as_its_submission_would_be_and_changes_nothing()
    {
        var (tenantId, client) = await factory.NewTenantWithIdAsync();
        using var _ = client;
        using (var admin = factory.Client(WorkforceApiFactory.AdminKey))
        {
            await WorkforceClient.ReadAsync(await admin.Http.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/subscription",
                new { plan = "enterprise", limits = new { tasks = (long?)null, computeMinutes = (long?)null, storageBytes = 100L, apiCalls = (long?)null }, price = 900m },
                TestContext.Current.CancellationToken));
        }

        var task = await client.SubmitAsync(new { type = "work", payload = new { text = "hi" } });
        var bigger = $$"""{"text":"{{new string('x', 120)}}"}""";

        var submitted = await WorkforceClient.ProblemAsync(await client.PostRawAsync("/api/v1/tasks", $$"""{"type":"work","payload":{{bigger}}}"""), HttpStatusCode.TooManyRequests);
        var patchResponse = await PatchAsync(client, task.Id(), $$"""{"payload":{{bigger}}}""");
        Assert.NotNull(patchResponse.Headers.RetryAfter);
        var patched = await WorkforceClient.ProblemAsync(patchResponse, HttpStatusCode.TooManyRequests);

        Assert.Equal((submitted.Str("type"), submitted.Str("detail"), "storageBytes"), (patched.Str("type"), patched.Str("detail"), patched.Str("meter")));
        Assert.Equal((13, 100), (patched["used"]!.GetValue<int>(), patched["limit"]!.GetValue<int>()));
        var read = await client.GetAsync($"/api/v1/tasks/{task.Id()}");
        Assert.Equal("\"1\"", read.Headers.ETag?.ToString());
        Assert.Equal("hi", (await WorkforceClient.ReadAsync(read))["payload"]!["text"]!.GetValue<string>());
        var usage = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/usage"));
        Assert.Equal(13m, usage["meters"]!["storageBytes"]!["used"]!.GetValue<decimal>());
        // A patch that does not grow the payload is not held to the quota.
        await WorkforceClient.ReadAsync(await PatchAsync(client, task.Id(), """{"payload":{"text":"ho"},"priority":"high"}"""));
    }

    private static Task<HttpResponseMessage> PatchAsync(WorkforceClient client, Guid id, string body) =>
        client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/tasks/{id}")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/merge-patch+json"),
        }, TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_admin_sets_enterprise_limits_which_the_tenant_then_sees_and_meets()
    {
        var (tenantId, client) = await factory.NewTenantWithIdAsync();
        using var _ = client;
        using var admin = factory.Client(WorkforceApiFactory.AdminKey);

        var set = await admin.Http.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/subscription",
            new { plan = "enterprise", limits = new { tasks = 1, computeMinutes = (long?)null, storageBytes = (long?)null, apiCalls = (long?)null }, price = 900m });

        await WorkforceClient.ReadAsync(set);
        var subscription = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/subscription"));
        Assert.Equal("enterprise", subscription.Str("plan"));
        Assert.Equal(1, subscription["limits"]!["tasks"]!.GetValue<long>());
        Assert.Equal(900m, subscription["price"]!.GetValue<decimal>());
        await client.SubmitAsync(new { type = "work" });
        await WorkforceClient.ProblemAsync(await client.PostAsync("/api/v1/tasks", new { type = "work" }), HttpStatusCode.TooManyRequests);
        await WorkforceClient.ProblemAsync(await client.Http.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/subscription", new { plan = "free" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task With_api_calls_used_up_only_usage_and_subscription_stay_open()
    {
        using var client = await factory.NewTenantAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < MeteredApiFactory.FreeApiCalls + 5; i++)
        {
            using var response = await client.GetAsync("/api/v1/tasks");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(MeteredApiFactory.FreeApiCalls, statuses.Count(s => s == HttpStatusCode.OK));
        var refused = await WorkforceClient.ProblemAsync(await client.GetAsync("/api/v1/agents"), HttpStatusCode.TooManyRequests);
        Assert.Equal("apiCalls", refused.Str("meter"));
        await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/usage"));
        await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/subscription"));
        await WorkforceClient.ReadAsync(await client.PutAsync("/api/v1/subscription", new { plan = "professional" }));
        await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/agents"));
    }

    [Fact]
    public async Task A_metered_response_carries_the_tightest_quota_as_ratelimit_headers()
    {
        using var client = await factory.NewTenantAsync();
        await client.GetAsync("/api/v1/tasks");
        await client.GetAsync("/api/v1/tasks");

        using var response = await client.GetAsync("/api/v1/tasks");

        // Nothing but calls used yet: API calls are the tightest quota, with three of them counted.
        Assert.Equal($"\"apiCalls\";q={MeteredApiFactory.FreeApiCalls};w=2592000", response.Headers.GetValues("RateLimit-Policy").Single());
        Assert.StartsWith($"\"apiCalls\";r={MeteredApiFactory.FreeApiCalls - 3};t=", response.Headers.GetValues("RateLimit").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_sums_a_meter_per_hour_and_refuses_an_unknown_meter()
    {
        using var client = await factory.NewTenantAsync();
        await client.SubmitAsync(new { type = "work" });
        await client.SubmitAsync(new { type = "work" });

        var history = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/usage/history?meter=tasks&granularity=hour"));

        Assert.Equal(24, history["buckets"]!.AsArray().Count);
        Assert.Equal(2m, history["buckets"]!.AsArray().Sum(b => b!["quantity"]!.GetValue<decimal>()));
        var problem = await WorkforceClient.ProblemAsync(await client.GetAsync("/api/v1/usage/history?meter=bananas"), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["meter"]);
    }
}

public sealed class SqliteUsageApiTests(MeteredApiFactory factory) : UsageApiTests(factory), IClassFixture<MeteredApiFactory>;

public sealed class AzuriteUsageApiTests(AzuriteMeteredApiFactory factory) : UsageApiTests(factory), IClassFixture<AzuriteMeteredApiFactory>;
