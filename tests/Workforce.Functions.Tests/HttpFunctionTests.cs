using System.Text.Json.Nodes;
using Workforce.Core;

namespace Workforce.Functions.Tests;

/// <summary>The Functions app serves the v1 API of the standalone server: the same routes and methods, as the host is told.</summary>
public sealed class HttpFunctionTests
{
    private const string NegotiateRoute = "negotiate";
    private const string HubName = "workforce";

    private static IReadOnlyList<FunctionMetadata> HttpFunctions { get; } = [.. FunctionsBuild.Functions.Where(f => f.TriggerType == "httpTrigger")];

    private static IReadOnlyList<(string Function, string Method, string Route)> Served { get; } =
    [
        .. HttpFunctions.SelectMany(function => function.Trigger["methods"]!.AsArray()
            .Select(method => (function.Name, method!.GetValue<string>().ToUpperInvariant(), function.Trigger.Text("route")))),
    ];

    [Fact]
    public void Every_v1_route_of_the_server_has_exactly_one_function_with_its_method_and_route()
    {
        var server = ServerRoutes();

        Assert.NotEmpty(server);
        foreach (var (method, route) in server)
        {
            var functions = Served.Where(f => f.Method == method && f.Route == route).Select(f => f.Function).ToList();
            Assert.True(functions.Count == 1, $"{method} {route} is served by {functions.Count} functions ({string.Join(", ", functions)}); it needs exactly one.");
        }

        var extra = Served.Where(f => f.Route.StartsWith("v1/", StringComparison.Ordinal) && !server.Contains((f.Method, f.Route)));
        Assert.Empty(extra.Select(f => $"{f.Method} {f.Route} ({f.Function})"));
    }

    [Fact]
    public void Beyond_v1_only_the_health_probes_and_negotiate_are_served()
    {
        Assert.Equal(
            [("GET", ApiRoutes.Health), ("GET", ApiRoutes.Health + "/live"), ("GET", ApiRoutes.Health + "/ready"), ("POST", NegotiateRoute)],
            Served.Where(f => !f.Route.StartsWith("v1/", StringComparison.Ordinal)).Select(f => (f.Method, f.Route)).Order());
    }

    [Fact]
    public void Http_functions_leave_keys_to_the_platform()
    {
        Assert.NotEmpty(HttpFunctions);
        Assert.All(HttpFunctions, f => Assert.Equal("Anonymous", f.Trigger.Text("authLevel")));
    }

    [Fact]
    public void Api_functions_answer_over_http_tell_the_workflows_and_push_live_updates_to_the_hub()
    {
        var api = HttpFunctions.Where(f => f.Name != "Negotiate").ToList();

        Assert.NotEmpty(api);
        Assert.All(api, f =>
        {
            Assert.Equal(
                [("httpTrigger", "In"), ("durableClient", "In"), ("http", "Out"), ("signalR", "Out")],
                f.Bindings.Select(b => (b.Text("type"), b.Text("direction"))));
            var updates = f.Of("signalR").Single();
            Assert.Equal(HubName, updates.Text("hubName"));
            Assert.Equal(FunctionsBuild.Settings["SignalR"], updates.Text("connectionStringSetting"));
        });
    }

    [Fact]
    public void Negotiate_hands_out_connection_info_for_the_tenant_the_query_names()
    {
        var negotiate = Assert.Single(HttpFunctions, f => f.Trigger.Text("route") == NegotiateRoute);
        var connection = Assert.Single(negotiate.Of("signalRConnectionInfo"));

        Assert.Equal("In", connection.Text("direction"));
        Assert.Equal(HubName, connection.Text("hubName"));
        Assert.Equal("{query.tenant}", connection.Text("userId"));
        Assert.Equal(FunctionsBuild.Settings["SignalR"], connection.Text("connectionStringSetting"));
        Assert.Equal(("$return", "Out"), negotiate.Of("http").Select(b => (b.Text("name"), b.Text("direction"))).Single());
    }

    /// <summary>The v1 routes as the running server maps them, relative to <c>/api</c>.</summary>
    /// <summary>The standalone server's own: backups of its SQLite database; the Functions app keeps none (docs/operations.md).</summary>
    private static readonly string[] ServerOnlyRoutes = ["v1/admin/backups"];

    private static HashSet<(string Method, string Route)> ServerRoutes() =>
        [.. ServerOperations.All.Where(o => !ServerOnlyRoutes.Contains(o.Route)).Select(o => (o.Method, o.Route))];
}
