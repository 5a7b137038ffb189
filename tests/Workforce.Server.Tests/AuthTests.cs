using System.Net;

namespace Workforce.Server.Tests;

public abstract class AuthTests(WorkforceApiFactory factory)
{
    [Fact]
    public async Task A_request_without_a_key_is_401_with_a_hint()
    {
        using var client = factory.Client(apiKey: null);

        var problem = await WorkforceClient.ProblemAsync(await client.GetAsync("/api/v1/tasks"), HttpStatusCode.Unauthorized);

        Assert.Contains("X-API-Key", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_key_is_401()
    {
        using var client = factory.Client("wfk_not-a-real-key");

        await WorkforceClient.ProblemAsync(await client.PostAsync("/api/v1/tasks", new { type = "x" }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_agent_key_may_not_act_as_the_tenant()
    {
        using var tenant = await factory.NewTenantAsync();
        var agent = await tenant.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));

        await WorkforceClient.ProblemAsync(await agentClient.PostAsync("/api/v1/tasks", new { type = "x" }), HttpStatusCode.Forbidden);
        await WorkforceClient.ProblemAsync(await agentClient.GetAsync("/api/v1/tasks"), HttpStatusCode.Forbidden);
        await WorkforceClient.ProblemAsync(await agentClient.GetAsync("/api/v1/agents"), HttpStatusCode.Forbidden);
        await WorkforceClient.ProblemAsync(await agentClient.PostAsync("/api/v1/agents", new { name = "sneaky" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_agent_key_may_act_only_as_its_own_agent()
    {
        using var tenant = await factory.NewTenantAsync();
        var me = await tenant.RegisterAsync();
        var other = await tenant.RegisterAsync();
        using var agentClient = factory.Client(me.Str("agentKey"));

        var mine = await agentClient.PostAsync($"/api/v1/agents/{me.Id()}/heartbeat");
        var theirs = await agentClient.PostAsync($"/api/v1/agents/{other.Id()}/heartbeat");
        var theirLease = await agentClient.PostAsync($"/api/v1/agents/{other.Id()}/lease");

        Assert.Equal(HttpStatusCode.NoContent, mine.StatusCode);
        await WorkforceClient.ProblemAsync(theirs, HttpStatusCode.Forbidden);
        await WorkforceClient.ProblemAsync(theirLease, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_tenants_ids_are_not_found()
    {
        using var owner = await factory.NewTenantAsync();
        using var stranger = await factory.NewTenantAsync();
        var task = await owner.SubmitAsync(new { type = "private" });
        var agent = await owner.RegisterAsync();

        await WorkforceClient.ProblemAsync(await stranger.GetAsync($"/api/v1/tasks/{task.Id()}"), HttpStatusCode.NotFound);
        await WorkforceClient.ProblemAsync(await stranger.PostAsync($"/api/v1/tasks/{task.Id()}/cancel"), HttpStatusCode.NotFound);
        await WorkforceClient.ProblemAsync(await stranger.GetAsync($"/api/v1/agents/{agent.Id()}"), HttpStatusCode.NotFound);
        await WorkforceClient.ProblemAsync(await stranger.PostAsync($"/api/v1/agents/{agent.Id()}/lease"), HttpStatusCode.NotFound);
        var strangerTasks = await WorkforceClient.ReadAsync(await stranger.GetAsync("/api/v1/tasks"));
        Assert.Empty(strangerTasks["items"]!.AsArray());
    }

    [Fact]
    public async Task A_removed_agents_key_stops_working()
    {
        using var tenant = await factory.NewTenantAsync();
        var agent = await tenant.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));

        var removed = await tenant.Http.DeleteAsync(new Uri($"/api/v1/agents/{agent.Id()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await WorkforceClient.ProblemAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/heartbeat"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Only_the_admin_key_creates_tenants()
    {
        using var tenant = factory.Tenant();
        using var admin = factory.Client(WorkforceApiFactory.AdminKey);

        await WorkforceClient.ProblemAsync(await tenant.PostAsync("/api/v1/tenants", new { name = "nope" }), HttpStatusCode.Forbidden);
        var created = await WorkforceClient.ReadAsync(await admin.PostAsync("/api/v1/tenants", new { name = "Acme" }), HttpStatusCode.Created);

        Assert.Equal("Acme", created.Str("name"));
        Assert.StartsWith("wfk_", created.Str("apiKey"), StringComparison.Ordinal);
        using var acme = factory.Client(created.Str("apiKey"));
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/v1/tasks")).StatusCode);
        await WorkforceClient.ProblemAsync(await admin.GetAsync("/api/v1/tasks"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_tenant_needs_a_name()
    {
        using var admin = factory.Client(WorkforceApiFactory.AdminKey);

        var problem = await WorkforceClient.ProblemAsync(await admin.PostAsync("/api/v1/tenants", new { name = "" }), HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]!["name"]);
    }

    [Fact]
    public async Task The_bootstrap_key_belongs_to_the_default_tenant()
    {
        using var client = factory.Tenant();

        var task = await client.SubmitAsync(new { type = "hello" });

        Assert.Equal("default", task.Str("tenantId"));
    }
}

public sealed class SqliteAuthTests(WorkforceApiFactory factory) : AuthTests(factory), IClassFixture<WorkforceApiFactory>;

public sealed class AzuriteAuthTests(AzuriteApiFactory factory) : AuthTests(factory), IClassFixture<AzuriteApiFactory>;
