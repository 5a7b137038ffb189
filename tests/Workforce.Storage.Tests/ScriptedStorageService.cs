using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Workforce.Storage.Tests;

/// <summary>
/// Stands in for the storage service behind the SDK's own HTTP transport, for what Azurite cannot show (throttling,
/// an account that never answers, Entra ID over HTTPS): answers each request with the next scripted reply and
/// remembers what was sent. A null reply refuses the connection, as a stopped endpoint does.
/// </summary>
internal sealed class ScriptedStorageService(params ScriptedStorageService.Reply[] replies) : HttpMessageHandler
{
    /// <returns>The response, or null to refuse the connection.</returns>
    public delegate Task<HttpResponseMessage?> Reply(HttpRequestMessage request, CancellationToken cancellationToken);

    private int _next;

    public List<(HttpRequestMessage Request, string Body)> Received { get; } = [];

    public HttpPipelineTransport Transport() => new HttpClientTransport(new HttpClient(this) { Timeout = Timeout.InfiniteTimeSpan });

    /// <summary>The storage services' error shape: the status, and the error code in x-ms-error-code.</summary>
    public static Reply Status(HttpStatusCode status, string errorCode = "") => (_, _) =>
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent("") };
        if (errorCode.Length > 0)
        {
            response.Headers.Add("x-ms-error-code", errorCode);
        }

        return Task.FromResult<HttpResponseMessage?>(response);
    };

    public static Reply Xml(string xml) =>
        (_, _) => Task.FromResult<HttpResponseMessage?>(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(xml, Encoding.UTF8, "application/xml") });

    /// <summary>A page of a Table query as the service returns it: the entities as OData JSON, and where to go on, if anywhere.</summary>
    public static Reply TablePage(string entitiesJson, string? nextPartitionKey = null, string? nextRowKey = null) => (_, _) =>
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent($$"""{"odata.metadata":"http://127.0.0.1:1/acme/$metadata#table","value":[{{entitiesJson}}]}""", Encoding.UTF8, "application/json"),
        };
        if (nextPartitionKey is not null)
        {
            response.Headers.Add("x-ms-continuation-NextPartitionKey", nextPartitionKey);
            response.Headers.Add("x-ms-continuation-NextRowKey", nextRowKey);
        }

        return Task.FromResult<HttpResponseMessage?>(response);
    };

    public static readonly Reply Refuse = (_, _) => Task.FromResult<HttpResponseMessage?>(null);

    /// <summary>Holds the request until the client gives up on it.</summary>
    public static readonly Reply Hang = async (_, cancellationToken) =>
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return null;
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Reply reply;
        lock (Received)
        {
            Received.Add((request, body));
            reply = replies[Math.Min(_next++, replies.Length - 1)];
        }

        return await reply(request, cancellationToken) ?? throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused));
    }
}

/// <summary>Hands out numbered tokens valid for an hour and remembers the scopes asked for.</summary>
internal sealed class CountingCredential : TokenCredential
{
    private int _issued;

    public List<string> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (Scopes)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken($"token-{++_issued}", DateTimeOffset.UtcNow.AddHours(1));
        }
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
