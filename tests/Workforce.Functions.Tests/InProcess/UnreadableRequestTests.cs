extern alias FunctionsApp;

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FunctionsApp::Workforce.Functions.Agents;
using FunctionsApp::Workforce.Functions.Operations;
using FunctionsApp::Workforce.Functions.Tasks;
using Workforce.Core.Queues;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>
/// Requests the framework cannot bind — unknown or empty charsets, compressed, oversized or broken bodies, hostile
/// query strings and headers — are refused by every HTTP function with a 4xx problem that says why, never a 500 or a
/// bare status, and change nothing; as on the standalone server (Workforce.Server.Tests.UnreadableRequestTests).
/// </summary>
public sealed class UnreadableRequestTests
{
    private const int BodyLimit = 2048;

    private static readonly string LargeJson = $"{{\"type\":\"x\",\"name\":\"{new string('n', BodyLimit)}\"}}";

    /// <summary>A body the binder cannot read, the status it must be refused with, and what the problem's detail must name.</summary>
    public sealed record Unreadable(string Name, Func<FunctionRequest, FunctionRequest> Apply, HttpStatusCode Status, params string[] Named)
    {
        public override string ToString() => Name;
    }

    private static readonly Unreadable[] Cases =
    [
        new("unknown charset", r => r.WithBody("{\"type\":\"x\",\"name\":\"n\",\"error\":\"e\"}", "application/json; charset=bogus"), HttpStatusCode.UnsupportedMediaType, "bogus", "UTF-8"),
        new("empty charset", r => r.WithBody("{\"type\":\"x\"}", "application/json; charset="), HttpStatusCode.UnsupportedMediaType, "charset", "UTF-8"),
        new("compressed body", r => r.WithBody("{\"type\":\"x\"}", "application/json").WithHeader("Content-Encoding", "gzip"), HttpStatusCode.UnsupportedMediaType, "gzip"),
        new("not JSON", r => r.WithBody("type=x", "text/plain"), HttpStatusCode.UnsupportedMediaType, "application/json"),
        new("declared too large", r => r.WithBody(LargeJson, "application/json"), HttpStatusCode.RequestEntityTooLarge, $"{BodyLimit}"),
        new("chunked and too large", r => r.WithBody(LargeJson, "application/json") with { Chunked = true }, HttpStatusCode.RequestEntityTooLarge, $"{BodyLimit}"),
        new("broken JSON", r => r.WithBody("{\"type\":", "application/json"), HttpStatusCode.BadRequest, "JSON"),
    ];

    [Fact]
    public async Task Every_function_with_a_json_body_refuses_an_unreadable_one_with_a_problem_that_says_why_and_changes_nothing()
    {
        await using var world = await World.CreateAsync();
        var before = await world.SnapshotAsync();
        var withJson = world.Functions.Where(f => f.TakesJson).ToList();
        Assert.True(withJson.Count >= 7, $"Only {withJson.Count} functions take a JSON body.");

        foreach (var (function, unreadable) in withJson.SelectMany(f => Cases.Select(c => (f, c))))
        {
            var response = await world.App.HttpAsync(function.Function, unreadable.Apply(world.Request(function)));

            Assert.True(response.StatusCode == unreadable.Status, $"{function.Function}, {unreadable}: {response}");
            var problem = response.Problem(unreadable.Status);
            var said = (problem["detail"]?.GetValue<string>() ?? "") + (problem["errors"]?.ToJsonString() ?? "");
            Assert.All(unreadable.Named, named => Assert.True(said.Contains(named, StringComparison.Ordinal), $"{function.Function}, {unreadable}: '{said}' does not name {named}."));
        }

        Assert.Equal(before, await world.SnapshotAsync());
    }

    [Theory]
    [InlineData("cursor=null")]
    [InlineData("cursor=abc")]
    [InlineData("cursor=zzzz====")]
    public async Task An_orchestration_cursor_the_engine_cannot_resume_from_is_a_400(string query)
    {
        await using var world = await World.CreateAsync();

        var response = await world.App.HttpAsync<OperationsFunctions>(nameof(OperationsFunctions.ListOrchestrations),
            FunctionRequest.Get("v1/orchestrations", world.TenantKey) with { Query = query });

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
    }

    [Fact]
    public async Task A_quoted_charset_is_read_like_an_unquoted_one()
    {
        await using var world = await World.CreateAsync();

        var response = await world.App.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask),
            FunctionRequest.Post("v1/tasks", world.TenantKey).WithBody("{\"type\":\"quoted\"}", "application/json; charset=\"UTF-8\""));

        Assert.Equal("quoted", response.Expect(HttpStatusCode.Accepted).Str("type"));
    }

    [Fact]
    public async Task No_malformed_request_to_any_function_is_answered_with_a_server_error_or_a_bare_status()
    {
        await using var world = await World.CreateAsync();
        var cases = from function in Gen.Elements(world.Functions.ToArray())
                    from contentType in Malformed.ContentTypes
                    from encoding in Malformed.ContentEncodings
                    from body in Malformed.Bodies
                    from chunked in Gen.Elements(false, false, true)
                    from query in Malformed.Queries
                    from idempotencyKey in Malformed.IdempotencyKeys
                    from caller in Gen.Elements(Enum.GetValues<Caller>())
                    from routeValue in Malformed.RouteValues
                    select new RequestCase(function, contentType, encoding, body, chunked, query, idempotencyKey, caller, routeValue);

        var property = Prop.ForAll(Arb.From(cases), c =>
        {
            var request = world.Request(c.Function, c.Caller, c.RouteValue) with { Query = c.Query, ContentType = c.ContentType, Chunked = c.Chunked && c.Body is not null };
            request = c.Body is null ? request : request with { Body = Encoding.UTF8.GetBytes(c.Body) };
            request = c.ContentEncoding is null ? request : request.WithHeader("Content-Encoding", c.ContentEncoding);
            request = c.IdempotencyKey is null ? request : request.WithHeader("Idempotency-Key", c.IdempotencyKey);

            var response = world.App.HttpAsync(c.Function.Function, request).GetAwaiter().GetResult();

            Assert.True(response.Status < 500, $"{c} → {response}");
            if (response.Status >= 400)
            {
                Assert.True(response.ContentType == "application/problem+json", $"{c} → {response}");
                Assert.Equal(response.Status, (int?)JsonNode.Parse(response.Body)?["status"]);
            }
        });

        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property), TestContext.Current.CancellationToken);
    }

    /// <summary>Whose key a generated request carries.</summary>
    public enum Caller
    {
        Tenant,
        Agent,
        Admin,
        None,
        Unknown,
    }

    public sealed record RequestCase(
        FunctionUnderTest Function, string? ContentType, string? ContentEncoding, string? Body, bool Chunked, string Query, string? IdempotencyKey, Caller Caller, Guid? RouteValue)
    {
        public override string ToString() =>
            $"{Function} ?{Query} as {Caller}, route value {RouteValue?.ToString() ?? "(real)"}, Content-Type {ContentType ?? "(none)"}, " +
            $"Content-Encoding {ContentEncoding ?? "(none)"}, Idempotency-Key {IdempotencyKey?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"} chars, " +
            $"{(Chunked ? "chunked " : "")}body {Body?[..Math.Min(Body.Length, 60)] ?? "(none)"}";
    }

    /// <summary>An HTTP function, and whether the server's operation of the same route and method takes a JSON body and the admin key.</summary>
    public sealed record FunctionUnderTest(HttpFunction Function, string Method, bool TakesJson, bool AdminOnly)
    {
        public override string ToString() => $"{Function.Method.Name} ({Method} {Function.Route})";
    }

    /// <summary>What the generated requests are made of: mostly plausible, often broken in one or more ways.</summary>
    private static class Malformed
    {
        public static readonly Gen<string?> ContentTypes = Gen.Elements<string?>(
            null, "application/json", "application/json; charset=utf-8", "application/json; charset=\"utf-8\"",
            "application/json; charset=utf-16", "application/json; charset=bogus", "application/json; charset=",
            "application/json; charset=\"", "application/json;;;", "application/json; charset=utf-8; charset=latin1",
            "application/json; charset=x-\u00e9", "text/plain", "text/json; charset=us-ascii", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "multipart/form-data", "*/*", "garbage", "/", ";", "application/problem+json");

        public static readonly Gen<string?> ContentEncodings = Gen.Elements<string?>(null, null, null, "gzip", "br", "identity", "x-unknown", "gzip, identity", "");

        public static readonly Gen<string?> Bodies = Gen.OneOf(
            Gen.Elements<string?>(
                null, "", "{}", "null", "[]", "\"text\"", "42", "{", "{\"type\":", "{\"type\":123}", "{\"type\":\"x\",\"priority\":\"urgent\"}",
                "{\"type\":\"x\",\"timeoutSeconds\":1e400}", "{\"type\":\"x\",\"maxRetries\":99999999999999999999}", "{\"type\":\"x\",\"deadline\":\"yesterday\"}",
                "{\"type\":\"x\",\"payload\":" + new string('[', 2000) + "}", "{\"name\":\"a\",\"capacity\":-1,\"capabilities\":[null,1,{}]}",
                "{\"error\":\"e\",\"retryable\":\"maybe\"}", "{\"cpuPercent\":\"NaN\",\"memoryMb\":-1e308}", "{\"result\":" + new string('{', 70) + "}",
                "\u0000\u0001\u0002", "\uFEFF{\"type\":\"x\"}", "{\"type\":\"\ud800\"}", LargeJson),
            Gen.Choose(0, 64).SelectMany(length => Gen.ArrayOf(Gen.Choose(0, 255), length))
                .Select(bytes => (string?)Encoding.Latin1.GetString([.. bytes.Select(b => (byte)b)])));

        public static readonly Gen<string> Queries =
            Gen.ListOf(Gen.Choose(0, 3).SelectMany(_ =>
                    from name in Gen.Elements("limit", "cursor", "state", "priority", "agentId", "status", "name", "capability", "waitSeconds", "max", "")
                    from value in Gen.Elements("", "-1", "0", "abc", "1e99", "99999999999999999999", "%00", "%ZZ", "\u00e9", "pending", "zzzz====", "null", "31")
                    select Uri.EscapeDataString(name) + "=" + (value.StartsWith('%') ? value : Uri.EscapeDataString(value))))
                .Select(pairs => string.Join('&', pairs.Take(4)));

        public static readonly Gen<string?> IdempotencyKeys = Gen.Elements<string?>(null, null, "", " ", "k1", new string('k', 300), "a\tb");

        // The host routes only values its {id:guid} constraint accepts; anything else is its 404, not the app's.
        public static readonly Gen<Guid?> RouteValues = Gen.Elements<Guid?>(null, null, null, Guid.Empty, Guid.NewGuid());
    }

    /// <summary>The app with a tenant, an agent and a pending task, and each of its HTTP functions with a route filled in.</summary>
    private sealed class World : IAsyncDisposable
    {
        private readonly Dictionary<Caller, string?> _keys;
        private readonly Guid _agentId;
        private readonly Guid _taskId;

        private World(FunctionsApp app, Dictionary<Caller, string?> keys, Guid agentId, Guid taskId, IReadOnlyList<FunctionUnderTest> functions)
        {
            App = app;
            _keys = keys;
            _agentId = agentId;
            _taskId = taskId;
            Functions = functions;
        }

        public FunctionsApp App { get; }

        public IReadOnlyList<FunctionUnderTest> Functions { get; }

        public string TenantKey => _keys[Caller.Tenant]!;

        public static async Task<World> CreateAsync()
        {
            var app = await FunctionsApp.StartAsync(settings: new Dictionary<string, string?> { ["Workforce:Http:MaxRequestBodyBytes"] = $"{BodyLimit}" });
            var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
            var agent = (await app.HttpAsync<AgentFunctions>(nameof(AgentFunctions.RegisterAgent), FunctionRequest.Post("v1/agents", tenant.Key, new { name = "a" })))
                .Expect(HttpStatusCode.Created);
            var task = (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask), FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "x" })))
                .Expect(HttpStatusCode.Accepted);
            var server = ServerOperations.All.ToDictionary(o => (o.Method, o.Route));
            var functions = HttpFunction.All
                .SelectMany(f => f.Methods.Select(method => server.TryGetValue((method, f.Route), out var operation)
                    ? new FunctionUnderTest(f, method, operation.TakesJson, operation.AdminOnly)
                    : new FunctionUnderTest(f, method, TakesJson: false, AdminOnly: false)))
                .ToList();
            var keys = new Dictionary<Caller, string?>
            {
                [Caller.Tenant] = tenant.Key,
                [Caller.Agent] = agent.Str("agentKey"),
                [Caller.Admin] = FunctionsApp.AdminKey,
                [Caller.None] = null,
                [Caller.Unknown] = "wfk_unknown",
            };
            return new World(app, keys, agent.Id(), task.Id(), functions);
        }

        /// <summary>A request the function's route matches, with the key a caller of its kind would send.</summary>
        public FunctionRequest Request(FunctionUnderTest function, Caller? caller = null, Guid? routeValue = null)
        {
            var route = function.Function.Route;
            var path = route
                .Replace("{id:guid}", (routeValue ?? (route.StartsWith("v1/agents", StringComparison.Ordinal) ? _agentId : _taskId)).ToString(), StringComparison.Ordinal)
                .Replace("{instanceId}", "nobody", StringComparison.Ordinal);
            var key = _keys[caller ?? (function.AdminOnly ? Caller.Admin : Caller.Tenant)];
            return new FunctionRequest(function.Method, path).WithKey(key);
        }

        /// <summary>What a refused request must leave as it was: the tenant's tasks and agents, and the messages sent.</summary>
        public async Task<string> SnapshotAsync()
        {
            var tasks = (await App.HttpAsync<TaskFunctions>(nameof(TaskFunctions.ListTasks), FunctionRequest.Get("v1/tasks", TenantKey) with { Query = "limit=100" }))
                .Expect(HttpStatusCode.OK);
            var agents = (await App.HttpAsync<AgentFunctions>(nameof(AgentFunctions.ListAgents), FunctionRequest.Get("v1/agents", TenantKey) with { Query = "limit=100" }))
                .Expect(HttpStatusCode.OK);
            var messages = WorkQueues.All.Sum(q => App.Bus.Messages(q.Name).Count);
            return new JsonArray(tasks["items"]!.DeepClone(), agents["items"]!.DeepClone(), messages).ToJsonString();
        }

        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
