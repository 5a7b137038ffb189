using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Workforce.Server.Tests;

/// <summary>
/// Requests the framework cannot bind — odd content types and charsets, compressed or broken bodies, hostile query
/// strings and headers — must be refused with a 4xx problem, never a 500, on every v1 operation.
/// </summary>
public sealed class UnreadableRequestTests(WorkforceApiFactory factory) : IClassFixture<WorkforceApiFactory>
{
    [Fact]
    public async Task An_unknown_charset_is_415_naming_it_on_every_operation_with_a_json_body_and_changes_nothing()
    {
        var world = await World.CreateAsync(factory);
        var before = await world.SnapshotAsync();

        foreach (var operation in world.Operations.Where(o => o.TakesJson))
        {
            using var request = world.Request(operation, "{\"type\":\"x\",\"name\":\"n\",\"error\":\"e\"}", "application/json; charset=bogus");

            var response = await world.Client(operation).SendAsync(request);

            var problem = await WorkforceClient.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
            Assert.Contains("bogus", problem.Str("detail"), StringComparison.Ordinal);
            Assert.Contains("UTF-8", problem.Str("detail"), StringComparison.Ordinal);
        }

        Assert.Equal(before, await world.SnapshotAsync());
    }

    [Fact]
    public async Task A_quoted_charset_is_read_like_an_unquoted_one()
    {
        var world = await World.CreateAsync(factory);
        var submit = world.Operations.Single(o => o.Method == "POST" && o.Template == "api/v1/tasks");
        using var request = world.Request(submit, "{\"type\":\"quoted\"}", "application/json; charset=\"UTF-8\"");

        var task = await WorkforceClient.ReadAsync(await world.Client(submit).SendAsync(request), HttpStatusCode.Accepted);

        Assert.Equal("quoted", task.Str("type"));
    }

    [Fact]
    public async Task A_compressed_body_is_415()
    {
        var world = await World.CreateAsync(factory);
        var submit = world.Operations.Single(o => o.Method == "POST" && o.Template == "api/v1/tasks");
        using var request = world.Request(submit, "{\"type\":\"x\"}", "application/json");
        request.Content!.Headers.ContentEncoding.Add("gzip");

        var problem = await WorkforceClient.ProblemAsync(await world.Client(submit).SendAsync(request), HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("gzip", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_of_unknown_length_over_the_limit_is_413_naming_the_limit()
    {
        var world = await World.CreateAsync(factory);
        var submit = world.Operations.Single(o => o.Method == "POST" && o.Template == "api/v1/tasks");
        using var request = world.Request(submit, null, null);
        var limit = new Workforce.Api.Http.WorkforceHttpOptions().MaxRequestBodyBytes;
        // A stream's length is not sent, so the body goes chunked and only reading it finds it too large.
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($"{{\"type\":\"{new string('x', (int)limit)}\"}}")));
        request.Content.Headers.ContentType = new("application/json");

        var problem = await WorkforceClient.ProblemAsync(await world.Client(submit).SendAsync(request), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains($"{limit}", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var world = await World.CreateAsync(factory);
        var submit = world.Operations.Single(o => o.Method == "POST" && o.Template == "api/v1/tasks");
        using var request = world.Request(submit, "type=x", "text/plain");

        var problem = await WorkforceClient.ProblemAsync(await world.Client(submit).SendAsync(request), HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("application/json", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_malformed_request_to_any_operation_is_answered_with_a_server_error()
    {
        var world = await World.CreateAsync(factory);
        var cases = from operation in Gen.Elements(world.Operations.ToArray())
                    from contentType in Malformed.ContentTypes
                    from encoding in Malformed.ContentEncodings
                    from body in Malformed.Bodies
                    from query in Malformed.Queries
                    from idempotencyKey in Malformed.IdempotencyKeys
                    from caller in Gen.Elements(Enum.GetValues<Caller>())
                    from routeValue in Malformed.RouteValues
                    select new RequestCase(operation, contentType, encoding, body, query, idempotencyKey, caller, routeValue);

        var property = Prop.ForAll(Arb.From(cases), async c =>
        {
            using var request = world.Request(c.Operation, c.Body, c.ContentType, c.Query, c.RouteValue);
            if (c.ContentEncoding is { } encoding && request.Content is { } content)
            {
                content.Headers.TryAddWithoutValidation("Content-Encoding", encoding);
            }

            if (c.IdempotencyKey is { } key)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
            }

            using var response = await world.Client(c.Operation, c.Caller).SendAsync(request);
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"{c} → {status}: {await response.Content.ReadAsStringAsync()}");
            if (status >= 400)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        });

        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), property), TestContext.Current.CancellationToken);
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
        Operation Operation, string? ContentType, string? ContentEncoding, string? Body, string Query, string? IdempotencyKey, Caller Caller, string? RouteValue)
    {
        public override string ToString() =>
            $"{Operation} ?{Query} as {Caller}, route value {RouteValue ?? "(real)"}, Content-Type {ContentType ?? "(none)"}, " +
            $"Content-Encoding {ContentEncoding ?? "(none)"}, Idempotency-Key {IdempotencyKey?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"} chars, body {Body?[..Math.Min(Body.Length, 60)] ?? "(none)"}";
    }

    /// <summary>A v1 route and method, as the server maps it.</summary>
    public sealed record Operation(string Method, string Template, bool TakesJson)
    {
        public override string ToString() => $"{Method} /{Template}";
    }

    /// <summary>What the generated requests are made of: mostly plausible, often broken in one or more ways.</summary>
    private static class Malformed
    {
        public static readonly Gen<string?> ContentTypes = Gen.Elements<string?>(
            null, "application/json", "application/json; charset=utf-8", "application/json; charset=\"utf-8\"",
            "application/json; charset=utf-16", "application/json; charset=bogus", "application/json; charset=",
            "application/json; charset=\"", "application/json;;;", "application/json; charset=utf-8; charset=latin1",
            "application/json; charset=x-\u00e9", "text/plain", "text/json; charset=us-ascii", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "multipart/form-data", "*/*", "application/*", "garbage", "/", ";", "application/problem+json");

        public static readonly Gen<string?> ContentEncodings = Gen.Elements<string?>(null, null, null, "gzip", "br", "identity", "x-unknown", "gzip, identity", "");

        public static readonly Gen<string?> Bodies = Gen.OneOf(
            Gen.Elements<string?>(
                null, "", "{}", "null", "[]", "\"text\"", "42", "true", "{", "{\"type\":", "{\"type\":\"x\"", "{\"type\":123}",
                "{\"type\":\"x\",\"priority\":\"urgent\"}", "{\"type\":\"x\",\"timeoutSeconds\":1e400}", "{\"type\":\"x\",\"maxRetries\":99999999999999999999}",
                "{\"type\":\"x\",\"deadline\":\"yesterday\"}", "{\"type\":\"x\",\"payload\":" + new string('[', 2000) + "}",
                "{\"name\":\"a\",\"capacity\":-1,\"capabilities\":[null,1,{}]}", "{\"error\":\"e\",\"retryable\":\"maybe\"}",
                "{\"cpuPercent\":\"NaN\",\"memoryMb\":-1e308}", "{\"result\":" + new string('{', 70) + "}", "\u0000\u0001\u0002",
                "{\"type\":\"x\",\"type\":\"y\"}", "\uFEFF{\"type\":\"x\"}", "{\"type\":\"\ud800\"}"),
            Gen.Choose(0, 64).SelectMany(length => Gen.ArrayOf(Gen.Choose(0, 255), length))
                .Select(bytes => (string?)Encoding.Latin1.GetString([.. bytes.Select(b => (byte)b)])));

        public static readonly Gen<string> Queries =
            Gen.ListOf(Gen.Choose(0, 3).SelectMany(_ =>
                    from name in Gen.Elements("limit", "cursor", "state", "priority", "agentId", "status", "name", "capability", "waitSeconds", "max", "next", "", "%", "limit[]")
                    from value in Gen.Elements("", "-1", "0", "abc", "1e99", "99999999999999999999", "%00", "%ZZ", "\u00e9", "pending", "zzzz====", "null", "31", "-9999999999")
                    select Uri.EscapeDataString(name) + "=" + (value.StartsWith('%') ? value : Uri.EscapeDataString(value))))
                .Select(pairs => string.Join('&', pairs.Take(4)));

        public static readonly Gen<string?> IdempotencyKeys = Gen.Elements<string?>(null, null, "", " ", "k1", new string('k', 300), "a\tb", "ключ");

        public static readonly Gen<string?> RouteValues = Gen.Elements<string?>(null, null, null, "not-a-guid", "00000000-0000-0000-0000-000000000000", "%2e%2e", new string('a', 500), "\u00e9");
    }

    /// <summary>A tenant with an agent and a task, and every v1 operation of the server with a route filled in.</summary>
    private sealed class World
    {
        private readonly Dictionary<Caller, HttpClient> _clients;
        private readonly Guid _agentId;
        private readonly Guid _taskId;

        private World(Dictionary<Caller, HttpClient> clients, Guid agentId, Guid taskId, IReadOnlyList<Operation> operations)
        {
            _clients = clients;
            _agentId = agentId;
            _taskId = taskId;
            Operations = operations;
        }

        public IReadOnlyList<Operation> Operations { get; }

        public static async Task<World> CreateAsync(WorkforceApiFactory factory)
        {
            var tenant = await factory.NewTenantAsync();
            var agent = await tenant.RegisterAsync();
            var task = await tenant.SubmitAsync(new { type = "x" });
            var clients = new Dictionary<Caller, HttpClient>
            {
                [Caller.Tenant] = tenant.Http,
                [Caller.Agent] = factory.Client(agent.Str("agentKey")).Http,
                [Caller.Admin] = factory.Client(WorkforceApiFactory.AdminKey).Http,
                [Caller.None] = factory.Client(null).Http,
                [Caller.Unknown] = factory.Client("wfk_unknown").Http,
            };
            var operations = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/v1/", StringComparison.Ordinal) == true)
                .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method => new Operation(
                    method, e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetOrderedMetadata<IAcceptsMetadata>().Any(a => a.ContentTypes.Contains("application/json")))))
                .Distinct()
                .ToList();
            Assert.True(operations.Count >= 20, $"Only {operations.Count} v1 operations were found.");
            return new World(clients, agent.Id(), task.Id(), operations);
        }

        public HttpClient Client(Operation operation, Caller? caller = null) =>
            _clients[caller ?? (operation.Template.StartsWith("api/v1/tenants", StringComparison.Ordinal) ? Caller.Admin : Caller.Tenant)];

        public HttpRequestMessage Request(Operation operation, string? body, string? contentType, string query = "", string? routeValue = null)
        {
            var path = "/" + operation.Template
                .Replace("{id:guid}", routeValue ?? (operation.Template.StartsWith("api/v1/agents", StringComparison.Ordinal) ? _agentId : _taskId).ToString(), StringComparison.Ordinal)
                .Replace("{instanceId}", routeValue ?? "nobody", StringComparison.Ordinal);
            var request = new HttpRequestMessage(new HttpMethod(operation.Method), query.Length > 0 ? $"{path}?{query}" : path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                if (contentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            return request;
        }

        /// <summary>What a refused request must leave as it was: the tenant's tasks and agents, and the tenants.</summary>
        public async Task<string> SnapshotAsync()
        {
            var tasks = await WorkforceClient.ReadAsync(await _clients[Caller.Tenant].GetAsync("/api/v1/tasks?limit=500"));
            var agents = await WorkforceClient.ReadAsync(await _clients[Caller.Tenant].GetAsync("/api/v1/agents?limit=500"));
            return new JsonArray(tasks["items"]!.DeepClone(), agents["items"]!.DeepClone()).ToJsonString();
        }
    }
}
