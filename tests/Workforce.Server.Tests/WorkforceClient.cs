using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workforce.Server.Tests;

/// <summary>
/// The v1 API as a test uses it: raw JSON in and out, so assertions see the wire contract (field names, enum
/// spellings, status codes), not a C# model of it.
/// </summary>
public sealed class WorkforceClient(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    /// <summary>The key this client sends, for the tests that connect to the hub with it.</summary>
    public string ApiKey => http.DefaultRequestHeaders.GetValues("X-API-Key").Single();

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null, IDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        return http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostRawAsync(string path, string json) =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(path);

    public Task<HttpResponseMessage> PutAsync(string path, object body) => http.PutAsJsonAsync(path, body);

    public async Task<JsonObject> SubmitAsync(object task, HttpStatusCode expected = HttpStatusCode.Accepted) =>
        await ReadAsync(await PostAsync("/api/v1/tasks", task), expected);

    /// <summary>Registers an agent and returns it with its key.</summary>
    public async Task<JsonObject> RegisterAsync(string name = "agent", string[]? capabilities = null, int capacity = 1) =>
        await ReadAsync(await PostAsync("/api/v1/agents", new { name, capabilities = capabilities ?? [], capacity }), HttpStatusCode.Created);

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Asserts an RFC 9457 problem with the status and returns it.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadAsync(response, expected);
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), $"The problem has no detail: {problem}");
        return problem;
    }

    public void Dispose() => http.Dispose();
}

public static class JsonNodeReading
{
    public static string Str(this JsonNode node, string property) => node[property]!.GetValue<string>();

    public static Guid Id(this JsonNode node) => Guid.Parse(node.Str("id"));

    public static JsonElement Element(this JsonNode node) => JsonSerializer.SerializeToElement(node);
}
