using System.Net.Sockets;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Workforce.Core.Storage;

namespace Workforce.Storage.Azure;

/// <summary>
/// Sits in front of the SDK's retries (per call) and turns an account that never answered — every attempt refused,
/// broken off or timed out — into <see cref="StorageUnavailableException"/>, which the hosts report as an outage
/// rather than as a bug. A response the service did give, however bad, stays the SDK's <see cref="RequestFailedException"/>.
/// </summary>
internal sealed class UnreachableAccountPolicy : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnanswered(e, message.CancellationToken))
        {
            throw Unavailable(message, e);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception e) when (IsUnanswered(e, message.CancellationToken))
        {
            throw Unavailable(message, e);
        }
    }

    /// <summary>The retry policy throws the only failure, or all of them together once it gives up.</summary>
    private static bool IsUnanswered(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && e switch
        {
            AggregateException aggregate => aggregate.InnerExceptions.All(inner => IsUnanswered(inner, cancellationToken)),
            RequestFailedException { Status: 0 } or IOException or HttpRequestException => true,
            // An attempt that outlived the network timeout, not the caller giving up.
            OperationCanceledException => true,
            _ => false,
        };

    private static StorageUnavailableException Unavailable(HttpMessage message, Exception e)
    {
        var endpoint = message.Request.Uri.ToUri().GetLeftPart(UriPartial.Authority);
        var last = e is AggregateException aggregate ? aggregate.InnerExceptions[^1] : e;
        return new StorageUnavailableException(
            $"Azure Storage at {endpoint} did not answer after {RequestMeter.AttemptsOf(message)} attempts ({Reason(last)}); check that it is running and that the endpoint is right.", e);
    }

    private static string Reason(Exception e) => e switch
    {
        OperationCanceledException => "timed out",
        { InnerException: HttpRequestException { InnerException: SocketException socket } } => socket.SocketErrorCode.ToString(),
        HttpRequestException { InnerException: SocketException socket } => socket.SocketErrorCode.ToString(),
        _ => e.Message,
    };
}
