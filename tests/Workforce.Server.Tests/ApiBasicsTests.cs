using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;

namespace Workforce.Server.Tests;

public abstract partial class ApiBasicsTests(WorkforceApiFactory factory)
{
    /// <summary>The constraint after a route parameter's name (<c>{id:guid}</c>), which OpenAPI paths leave out.</summary>
    [GeneratedRegex(@":[^}]*}")]
    private static partial Regex RouteParameterConstraints();

    [Fact]
    public async Task Health_answers_without_a_key()
    {
        using var client = factory.Client(apiKey: null);

        var health = await WorkforceClient.ReadAsync(await client.GetAsync("/api/health"));

        Assert.Equal("healthy", health.Str("status"));
    }

    [Fact]
    public async Task The_openapi_document_describes_every_v1_route()
    {
        using var client = factory.Client(apiKey: null);

        var document = await WorkforceClient.ReadAsync(await client.GetAsync("/api/openapi/v1.json"));

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/v1/tasks", paths);
        Assert.Contains("/api/v1/tasks/{id}/fail", paths);
        Assert.Contains("/api/v1/agents/{id}/lease", paths);
        Assert.Contains("/api/v1/tenants", paths);
        Assert.Equal("X-API-Key", document["components"]!["securitySchemes"]!["ApiKey"]!.Str("name"));
    }

    [Fact]
    public async Task Every_route_the_server_maps_under_api_v1_is_in_the_openapi_document_with_its_methods()
    {
        using var client = factory.Client(apiKey: null);
        var document = await WorkforceClient.ReadAsync(await client.GetAsync("/api/openapi/v1.json"));
        var described = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => $"{operation.Key.ToUpperInvariant()} {path.Key}"))
            .ToHashSet(StringComparer.Ordinal);

        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(endpoint => (Route: "/" + RouteParameterConstraints().Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), "}"),
                Methods: endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(endpoint => endpoint.Route.StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(endpoint => endpoint.Methods.Select(method => $"{method} {endpoint.Route}"))
            .ToList();

        Assert.NotEmpty(mapped);
        Assert.Equal<string>([], [.. mapped.Where(route => !described.Contains(route))]);
    }

    [Fact]
    public async Task The_api_docs_page_is_served()
    {
        using var client = factory.Client(apiKey: null);

        var response = await client.GetAsync("/api/docs/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        using var client = factory.Tenant();

        var problem = await WorkforceClient.ProblemAsync(await client.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound);

        Assert.Contains("/api/v1/nothing-here", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_use_camel_case_lower_case_enums_and_utc_times()
    {
        using var client = await factory.NewTenantAsync();

        var task = await client.SubmitAsync(new { type = "format-check", priority = "critical", payload = JsonNode.Parse("""{"Keep":"AsIs"}""") });

        Assert.Equal("critical", task.Str("priority"));
        Assert.Equal("pending", task.Str("state"));
        Assert.Equal("AsIs", task["payload"]!["Keep"]!.GetValue<string>());
        Assert.EndsWith("Z", task.Str("createdAt"), StringComparison.Ordinal);
        foreach (var field in new[] { "id", "tenantId", "type", "requiredCapabilities", "attempt", "maxRetries", "timeoutSeconds", "deadline",
                     "assignedAgentId", "nextAttemptAt", "result", "error", "createdAt", "updatedAt", "completedAt" })
        {
            Assert.True(task.ContainsKey(field), $"missing {field}");
        }
    }
}

public sealed class SqliteApiBasicsTests(WorkforceApiFactory factory) : ApiBasicsTests(factory), IClassFixture<WorkforceApiFactory>;

public sealed class AzuriteApiBasicsTests(AzuriteApiFactory factory) : ApiBasicsTests(factory), IClassFixture<AzuriteApiFactory>;
