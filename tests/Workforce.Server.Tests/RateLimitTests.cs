using System.Net;

namespace Workforce.Server.Tests;

public abstract class RateLimitTests(WorkforceApiFactory storage)
{
    [Fact]
    public async Task Requests_without_a_valid_key_are_limited_per_client()
    {
        await using var factory = storage.With(new Dictionary<string, string?> { ["Workforce:RateLimit:PermitsPerMinute"] = "3" });
        using var stranger = factory.Client("wfk_guessing");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/v1/tasks")).StatusCode);
        }

        var limited = await stranger.GetAsync("/api/v1/tasks");

        await WorkforceClient.ProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        using var tenant = factory.Tenant();
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync("/api/v1/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync("/api/health")).StatusCode);
    }

    [Fact]
    public async Task Authenticated_requests_are_limited_per_key()
    {
        await using var factory = storage.With(new Dictionary<string, string?> { ["Workforce:RateLimit:KeyPermitsPerMinute"] = "4" });
        using var tenant = factory.Tenant();
        using var other = await factory.NewTenantAsync();

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync("/api/v1/tasks")).StatusCode);
        }

        await WorkforceClient.ProblemAsync(await tenant.GetAsync("/api/v1/tasks"), HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/tasks")).StatusCode);
    }

    [Fact]
    public async Task Configured_origins_get_cors_headers()
    {
        await using var factory = storage.With(new Dictionary<string, string?> { ["Workforce:Http:CorsOrigins:0"] = "https://ops.example.com" });
        using var client = factory.Tenant();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/tasks");
        preflight.Headers.Add("Origin", "https://ops.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await client.Http.SendAsync(preflight);

        Assert.Equal("https://ops.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}

public sealed class SqliteRateLimitTests(WorkforceApiFactory storage) : RateLimitTests(storage), IClassFixture<WorkforceApiFactory>;

public sealed class AzuriteRateLimitTests(AzuriteApiFactory storage) : RateLimitTests(storage), IClassFixture<AzuriteApiFactory>;
