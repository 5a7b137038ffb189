using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workforce.Agent;

/// <summary>The server was not reachable or answered with a transient error (5xx, 408, 429): try again later.</summary>
internal sealed class ServerAwayException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The server refused a request in a way retrying will not change.</summary>
internal sealed class ServerRefusedException(HttpStatusCode status, string detail) : Exception($"{(int)status}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>How the server took a task's start, completion or failure.</summary>
internal enum Report
{
    Accepted,

    /// <summary>403, 404 or 409: the task is no longer this agent's (cancelled, timed out, already reported).</summary>
    NotOurs,
}

internal sealed record Registration(Guid Id, string Key, int Capacity);

internal sealed record LostTask(Guid Id, string Reason);

/// <summary>The v1 agent API as the SDK uses it. Works with servers that do and do not offer batched leases.</summary>
internal sealed class ServerConnection(HttpClient http, Uri baseAddress)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string? _key;

    public Guid AgentId { get; private set; }

    public void ActAs(Guid agentId, string agentKey)
    {
        AgentId = agentId;
        _key = agentKey;
    }

    public async Task<Registration> RegisterAsync(string tenantKey, object registration, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "agents", registration, null, cancellationToken, tenantKey);
        var agent = await ReadAsync(response, cancellationToken);
        return new Registration(agent["id"]!.GetValue<Guid>(), agent["agentKey"]!.GetValue<string>(), agent["capacity"]!.GetValue<int>());
    }

    /// <summary>The agent's capacity as the server knows it, or null if the server does not say.</summary>
    public async Task<int?> CapacityAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"agents/{AgentId}", null, null, cancellationToken);
        return response.IsSuccessStatusCode ? (await ReadAsync(response, cancellationToken))["capacity"]?.GetValue<int>() : null;
    }

    public Task DrainAsync(CancellationToken cancellationToken) => PostExpectingSuccessAsync($"agents/{AgentId}/drain", cancellationToken);

    public Task ResumeAsync(CancellationToken cancellationToken) => PostExpectingSuccessAsync($"agents/{AgentId}/resume", cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> tasks, started by the server where it can. A server with batched leases answers
    /// {"items":[…]}; one without ignores max and start and answers a single task, still assigned.
    /// </summary>
    public async Task<IReadOnlyList<AgentTask>> LeaseAsync(int max, int waitSeconds, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"agents/{AgentId}/lease?max={max}&start=true&waitSeconds={waitSeconds}", null, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return [];
        }

        var body = await ReadAsync(response, cancellationToken);
        return body["items"] is JsonArray items ? Tasks(items) : [Task(body)];
    }

    public async Task<Report> StartAsync(AgentTask task, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"tasks/{task.Id}/start", null, task.TraceContext, cancellationToken);
        return await ReportedAsync(response, cancellationToken);
    }

    /// <summary>Completes the task and, with <paramref name="next"/> above zero on a server that offers it, leases the next tasks in the same call.</summary>
    public async Task<(Report Report, IReadOnlyList<AgentTask> Next)> CompleteAsync(AgentTask task, JsonNode? result, int next, CancellationToken cancellationToken)
    {
        var query = next > 0 ? $"?next={next}&start=true" : "";
        using var response = await SendAsync(HttpMethod.Post, $"tasks/{task.Id}/complete{query}", new JsonObject { ["result"] = result }, task.TraceContext, cancellationToken);
        if (await ReportedAsync(response, cancellationToken) == Report.NotOurs)
        {
            return (Report.NotOurs, []);
        }

        var body = await ReadAsync(response, cancellationToken);
        return (Report.Accepted, body["next"] is JsonArray following ? Tasks(following) : []);
    }

    public async Task<Report> FailAsync(AgentTask task, string error, bool retryable, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["error"] = error.Length > 4000 ? error[..4000] : error, ["retryable"] = retryable };
        using var response = await SendAsync(HttpMethod.Post, $"tasks/{task.Id}/fail", body, task.TraceContext, cancellationToken);
        return await ReportedAsync(response, cancellationToken);
    }

    /// <summary>A heartbeat with metrics, naming the tasks the agent works on; the answer names those it lost.</summary>
    public async Task<IReadOnlyList<LostTask>> HeartbeatAsync(ProcessSample? metrics, IReadOnlyCollection<Guid> working, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["tasks"] = new JsonArray([.. working.Select(id => JsonValue.Create(id))]) };
        if (metrics is { } sample)
        {
            body["cpuPercent"] = sample.CpuPercent;
            body["memoryMb"] = sample.MemoryMb;
            body["threadCount"] = sample.ThreadCount;
        }

        using var response = await SendAsync(HttpMethod.Post, $"agents/{AgentId}/heartbeat", body, null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return [];
        }

        return (await ReadAsync(response, cancellationToken))["cancelledTasks"] is JsonArray lost
            ? [.. lost.Select(item => new LostTask(item!["id"]!.GetValue<Guid>(), item["reason"]?.GetValue<string>() ?? "cancelled"))]
            : [];
    }

    /// <summary>The tasks the server says the agent holds (assigned or running).</summary>
    public async Task<IReadOnlyList<AgentTask>> HeldTasksAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"agents/{AgentId}/tasks", null, null, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        return body["items"] is JsonArray items ? Tasks(items) : [];
    }

    /// <summary>Leases up to <paramref name="limit"/> messages of the agent's inbox, waiting up to <paramref name="waitSeconds"/> for one.</summary>
    public async Task<IReadOnlyList<AgentMessage>> ReceiveMessagesAsync(int waitSeconds, int limit, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"agents/{AgentId}/messages?waitSeconds={waitSeconds}&limit={limit}", null, null, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        return body["items"] is JsonArray items
            ? [.. items.Select(item => item.Deserialize<AgentMessage>(Json) ?? throw new JsonException("The server sent an empty message."))]
            : [];
    }

    /// <summary>Acknowledges one message; one the server no longer has (404) counts as acknowledged.</summary>
    public async Task AcknowledgeMessageAsync(Guid messageId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"agents/{AgentId}/messages/{messageId}/ack", null, null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, cancellationToken);
        }
    }

    public async Task<SentMessage> SendMessageAsync(Guid agentId, string type, JsonNode? payload, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"agents/{agentId}/messages", new JsonObject { ["type"] = type, ["payload"] = payload }, null, cancellationToken);
        return Sent(await ReadAsync(response, cancellationToken));
    }

    public async Task<IReadOnlyList<SentMessage>> BroadcastAsync(string type, JsonNode? payload, string? role, string? capability, CancellationToken cancellationToken)
    {
        var to = new JsonObject();
        if (role is not null)
        {
            to["role"] = role;
        }

        if (capability is not null)
        {
            to["capability"] = capability;
        }

        using var response = await SendAsync(HttpMethod.Post, "messages", new JsonObject { ["type"] = type, ["payload"] = payload, ["to"] = to }, null, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        return body["items"] is JsonArray items ? [.. items.Select(item => Sent(item!))] : [];
    }

    private static SentMessage Sent(JsonNode message) =>
        new(message["id"]!.GetValue<Guid>(), message["receiver"]!.GetValue<Guid>(), message["broadcastId"]?.GetValue<Guid>());

    private static List<AgentTask> Tasks(JsonArray items) => [.. items.Select(item => Task(item!))];

    private static AgentTask Task(JsonNode node) =>
        node.Deserialize<AgentTask>(Json) ?? throw new JsonException("The server sent an empty task.");

    private async Task PostExpectingSuccessAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, path, null, null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, object? body, string? traceParent, CancellationToken cancellationToken, string? key = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseAddress, path));
        request.Headers.TryAddWithoutValidation("X-API-Key", key ?? _key);
        if (traceParent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException away)
        {
            throw new ServerAwayException($"The server at {baseAddress} is not reachable: {away.Message}", away);
        }
        catch (TaskCanceledException timeout) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerAwayException($"The server at {baseAddress} did not answer in time.", timeout);
        }

        if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            var status = response.StatusCode;
            response.Dispose();
            throw new ServerAwayException($"The server answered {(int)status} {status}.");
        }

        return response;
    }

    private static async Task<Report> ReportedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return Report.NotOurs;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return Report.Accepted;
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonNode>(Json, cancellationToken) ?? throw new JsonException("The server sent an empty body.");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string detail;
        try
        {
            detail = JsonNode.Parse(text)?["detail"]?.GetValue<string>() ?? text;
        }
        catch (JsonException)
        {
            detail = text;
        }

        throw new ServerRefusedException(response.StatusCode, detail);
    }
}
