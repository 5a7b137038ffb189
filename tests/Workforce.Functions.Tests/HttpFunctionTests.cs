using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Core;

namespace Workforce.Functions.Tests;

/// <summary>The Functions app serves the v1 API of the standalone server: the same routes, methods and access rules.</summary>
public sealed class HttpFunctionTests
{
    private static IReadOnlyList<(FunctionDeclaration Function, string Method, string Route)> HttpFunctions { get; } =
    [
        .. FunctionSources.Functions
            .Where(function => function.Has("HttpTrigger"))
            .SelectMany(function =>
            {
                var trigger = function.Trigger("HttpTrigger");
                var methods = System.Text.RegularExpressions.Regex.Matches(trigger.Groups["args"].Value, "\"(?<method>[a-z]+)\"");
                var route = FunctionSources.Resolve(FunctionSources.Argument(trigger, "Route"));
                return methods.Select(method => (function, method.Groups["method"].Value.ToUpperInvariant(), route));
            }),
    ];

    [Fact]
    public void Every_v1_route_of_the_server_has_exactly_one_function_with_its_method_and_route()
    {
        var served = ServerRoutes();

        Assert.NotEmpty(served);
        foreach (var (method, route) in served)
        {
            var functions = HttpFunctions.Where(f => f.Method == method && f.Route == route).Select(f => f.Function.Name).ToList();
            Assert.True(functions.Count == 1, $"{method} {route} is served by {functions.Count} functions ({string.Join(", ", functions)}); it needs exactly one.");
        }

        var extra = HttpFunctions.Where(f => f.Route.StartsWith("v1/", StringComparison.Ordinal) && !served.Contains((f.Method, f.Route)));
        Assert.Empty(extra.Select(f => $"{f.Method} {f.Route} ({f.Function.Name})"));
    }

    [Fact]
    public void Http_functions_leave_keys_to_the_platform_and_name_shared_routes()
    {
        Assert.All(HttpFunctions, f =>
        {
            var arguments = f.Function.Trigger("HttpTrigger").Groups["args"].Value;
            Assert.StartsWith("AuthorizationLevel.Anonymous,", arguments, StringComparison.Ordinal);
            Assert.Matches(@"Route = (ApiRoutes|NegotiateAddress)\.\w+\)?$", arguments);
        });
    }

    [Fact]
    public void Each_http_function_asks_for_the_key_the_server_asks_for()
    {
        // Negotiate is checked by the access token it is handed, like the server's hub.
        var negotiate = FunctionSources.ConstantOf("NegotiateAddress", "Route");

        Assert.All(HttpFunctions.Where(f => f.Route != negotiate), f => Assert.Contains($"ApiAccess.{AccessTo(f.Route)},", f.Function.Parameters, StringComparison.Ordinal));
    }

    /// <summary>The server's rules: the admin policy for tenants, anonymous health, the api policy for the rest of v1.</summary>
    private static string AccessTo(string route) => route switch
    {
        ApiRoutes.Tenants => "Admin",
        ApiRoutes.Health => "Anyone",
        _ => "TenantOrAgent",
    };

    /// <summary>The v1 routes as the running server maps them, relative to <c>/api</c>.</summary>
    private static HashSet<(string Method, string Route)> ServerRoutes()
    {
        var data = Path.Combine(Path.GetTempPath(), "workforce-functions-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using var server = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host.UseSetting("Workforce:Storage:Sqlite:DataDirectory", data));
            var prefix = $"/{ApiRoutes.Prefix}/";
            return
            [
                .. server.Services.GetRequiredService<EndpointDataSource>().Endpoints
                    .OfType<RouteEndpoint>()
                    .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith(prefix + "v1/", StringComparison.Ordinal) == true)
                    .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                        .Select(method => (method, endpoint.RoutePattern.RawText![prefix.Length..]))),
            ];
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
