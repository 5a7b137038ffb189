using System.Diagnostics.Metrics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Workforce.Storage.Azure;

/// <summary>
/// Counts every attempt the SDK sends (a policy per retry, so retries count): what the account bills as
/// transactions and what its throttling counts, and what the request-budget test reads. Each message also keeps
/// its own count, for <see cref="UnreachableAccountPolicy"/> to report.
/// </summary>
internal sealed class RequestMeter(string service) : HttpPipelineSynchronousPolicy
{
    public const string MeterName = "Workforce.Storage.Azure";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("workforce.storage.azure.requests", "{request}", "Requests sent to Azure Storage, retries included");

    private const string AttemptsProperty = "Workforce.Storage.Azure.Attempts";

    private readonly KeyValuePair<string, object?> _service = new("service", service);

    /// <summary>How many times the message was sent, retries included.</summary>
    public static int AttemptsOf(HttpMessage message) =>
        message?.TryGetProperty(AttemptsProperty, out var attempts) == true && attempts is int count ? count : 0;

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.SetProperty(AttemptsProperty, AttemptsOf(message) + 1);
        Requests.Add(1, _service);
    }
}
