using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Core.Storage;
using Workforce.Storage.Azure.Rest;

namespace Workforce.Storage.Tests;

/// <summary>Which failures the Storage requests retry, and what the rest become.</summary>
public sealed class AzureRetryTests
{
    private static readonly StorageRetryPolicy Retry = new(MaxRetries: 3, BaseDelay: TimeSpan.FromMilliseconds(1), MaxDelay: TimeSpan.FromMilliseconds(5),
        RequestTimeout: TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_until_the_request_succeeds()
    {
        var service = new ScriptedService(HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError, HttpStatusCode.OK);

        using var response = await Send(service);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, service.Attempts);
    }

    [Fact]
    public async Task A_refusal_is_not_retried()
    {
        var service = new ScriptedService(HttpStatusCode.PreconditionFailed, HttpStatusCode.OK);

        var refused = await Assert.ThrowsAsync<StorageRequestException>(() => Send(service));

        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.Status);
        Assert.Equal(1, service.Attempts);
    }

    [Fact]
    public async Task A_service_that_never_answers_is_reported_unavailable_after_the_retries()
    {
        var service = new ScriptedService();

        var unavailable = await Assert.ThrowsAsync<StorageUnavailableException>(() => Send(service));

        Assert.Equal(4, service.Attempts);
        Assert.Contains("did not answer after 4 attempts", unavailable.Message, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> Send(ScriptedService service)
    {
        var http = new StorageHttp(new HttpClient(service), new SharedKeyAuthentication("acme", "key"u8.ToArray()), Retry, TimeProvider.System,
            NullLogger<StorageHttp>.Instance);
        return http.SendAsync(StorageService.Table, () => new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1/acme/Tables"), CancellationToken.None);
    }

    /// <summary>Answers with the given statuses in turn; with none left, the connection is refused.</summary>
    private sealed class ScriptedService(params HttpStatusCode[] statuses) : HttpMessageHandler
    {
        public int Attempts { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.StartsWith("SharedKey acme:", request.Headers.Authorization?.ToString(), StringComparison.Ordinal);
            return ++Attempts <= statuses.Length
                ? Task.FromResult(new HttpResponseMessage(statuses[Attempts - 1]) { RequestMessage = request })
                : throw new HttpRequestException("Connection refused");
        }
    }
}
