using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Workforce.Core.Storage;

namespace Workforce.Storage.Azure.Rest;

/// <summary>How requests are retried and bounded in time.</summary>
internal sealed record StorageRetryPolicy(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan RequestTimeout);

/// <summary>
/// Sends Storage REST requests: stamps the version and date, authorizes, bounds each attempt in time, and retries
/// throttling (429, 503), timeouts (408) and server errors (500, 502, 504) and broken connections with exponential
/// backoff and jitter. What still fails is a <see cref="StorageRequestException"/> (the service refused) or a
/// <see cref="StorageUnavailableException"/> (the service could not be reached).
/// </summary>
internal sealed partial class StorageHttp(HttpClient http, StorageAuthentication authentication, StorageRetryPolicy retry, TimeProvider clock, ILogger<StorageHttp> logger)
{
    /// <summary>Blob and Queue: a version whose SAS format (2020-12-06 and later) and features Azurite serves.</summary>
    public const string BlobQueueVersion = "2021-12-02";

    /// <summary>Table: the version the Azure.Data.Tables SDK speaks.</summary>
    public const string TableVersion = "2019-02-02";

    public const string MeterName = "Workforce.Storage.Azure";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Every attempt sent, retries included: what the account bills as transactions and what its throttling counts.</summary>
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("workforce.storage.azure.requests", "{request}", "Requests sent to Azure Storage, retries included");

    /// <param name="build">Builds the request afresh for each attempt, since a sent request cannot be sent again.</param>
    /// <param name="completion">ResponseHeadersRead to stream a large body; the caller then disposes the response.</param>
    public async Task<HttpResponseMessage> SendAsync(
        StorageService service,
        Func<HttpRequestMessage> build,
        CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = build();
            request.Headers.Add("x-ms-version", service == StorageService.Table ? TableVersion : BlobQueueVersion);
            request.Headers.Add("x-ms-date", clock.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
            await authentication.AuthorizeAsync(request, service, cancellationToken);
            Requests.Add(1, new KeyValuePair<string, object?>("service", service.ToString()));

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(retry.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, completion, deadline.Token);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                var endpoint = request.RequestUri!.GetLeftPart(UriPartial.Authority);
                if (attempt >= retry.MaxRetries)
                {
                    throw new StorageUnavailableException(
                        $"Azure Storage at {endpoint} did not answer after {attempt + 1} attempts ({Reason(e)}); check that it is running and that the endpoint is right.", e);
                }

                LogRetry(logger, request.Method, request.RequestUri, e.Message, attempt + 1);
                await Task.Delay(Backoff(attempt), clock, cancellationToken);
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            if (IsRetryable(response.StatusCode) && attempt < retry.MaxRetries)
            {
                LogRetry(logger, request.Method, request.RequestUri, response.ReasonPhrase, attempt + 1);
                response.Dispose();
                await Task.Delay(Backoff(attempt), clock, cancellationToken);
                continue;
            }

            using (response)
            {
                throw await StorageRequestException.FromAsync(response, cancellationToken);
            }
        }
    }

    private static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>A broken or refused connection, or an attempt that ran out of time — not the caller giving up.</summary>
    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException or SocketException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static string Reason(Exception e) => e switch
    {
        OperationCanceledException => "timed out",
        HttpRequestException { InnerException: SocketException socket } => socket.SocketErrorCode.ToString(),
        _ => e.Message,
    };

    /// <summary>Exponential, capped, with up to 50 % jitter so that many clients do not retry in step.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var exponential = retry.BaseDelay * Math.Pow(2, attempt);
        var capped = exponential < retry.MaxDelay ? exponential : retry.MaxDelay;
        return capped * (0.5 + (Random.Shared.NextDouble() / 2));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Azure Storage {Method} {Uri} failed ({Reason}); retry {Retry}")]
    private static partial void LogRetry(ILogger logger, HttpMethod method, Uri? uri, string? reason, int retry);
}
