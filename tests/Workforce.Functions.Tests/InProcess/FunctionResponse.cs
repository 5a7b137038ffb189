using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>What an HTTP function answered: the response its handler wrote, and the live updates it returned for SignalR.</summary>
public sealed record FunctionResponse(int Status, string? ContentType, IHeaderDictionary Headers, string Body, IReadOnlyList<SignalRMessageAction> Updates)
{
    public HttpStatusCode StatusCode => (HttpStatusCode)Status;

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("The body is JSON null.");

    public static async Task<FunctionResponse> ReadAsync(HttpResponse response, SignalRMessageAction[]? updates)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Body.Position = 0;
        using var reader = new StreamReader(response.Body, Encoding.UTF8, leaveOpen: true);
        return new FunctionResponse(response.StatusCode, response.ContentType, response.Headers, await reader.ReadToEndAsync(), updates ?? []);
    }

    /// <summary>The JSON body, after asserting the status.</summary>
    public JsonNode Expect(HttpStatusCode status)
    {
        Assert.True(StatusCode == status, $"Expected {(int)status}, got {Status}: {Body}");
        return Json;
    }

    /// <summary>The problem+json body, after asserting the status.</summary>
    public JsonNode Problem(HttpStatusCode status)
    {
        var problem = Expect(status);
        Assert.Equal("application/problem+json", ContentType);
        Assert.Equal(Status, (int?)problem["status"]);
        return problem;
    }

    public override string ToString() => $"{Status} {ContentType}: {Body}";
}

internal static class Json
{
    public static string Str(this JsonNode node, string name) => node[name]?.GetValue<string>() ?? throw new InvalidOperationException($"No {name} in {node.ToJsonString()}");

    public static Guid Id(this JsonNode node) => Guid.Parse(node.Str("id"));
}
