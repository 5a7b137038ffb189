using System.Net;
using System.Text;
using System.Text.Json;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>A request to an HTTP function, relative to <c>/api</c>: what a client would send.</summary>
public sealed record FunctionRequest(string Method, string Path)
{
    public string Query { get; init; } = "";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? ContentType { get; init; }

    public byte[]? Body { get; init; }

    /// <summary>Sent without a Content-Length, as a chunked body is.</summary>
    public bool Chunked { get; init; }

    /// <summary>The client's address as the worker sees it.</summary>
    public IPAddress ClientIp { get; init; } = IPAddress.Parse("203.0.113.10");

    public static FunctionRequest Get(string path, string? key = null) => new FunctionRequest("GET", path).WithKey(key);

    public static FunctionRequest Post(string path, string? key = null, object? json = null) =>
        json is null ? new FunctionRequest("POST", path).WithKey(key) : new FunctionRequest("POST", path).WithKey(key).WithJson(json);

    public FunctionRequest WithKey(string? key) => key is null ? this : WithHeader("X-API-Key", key);

    public FunctionRequest WithHeader(string name, string value) => this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };

    public FunctionRequest WithJson(object json) => WithBody(JsonSerializer.Serialize(json, JsonSerializerOptions.Web), "application/json");

    public FunctionRequest WithBody(string body, string? contentType) => this with { Body = Encoding.UTF8.GetBytes(body), ContentType = contentType };

    public override string ToString() => $"{Method} /api/{Path}{(Query.Length > 0 ? "?" + Query : "")}";
}
