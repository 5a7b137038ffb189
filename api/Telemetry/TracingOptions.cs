using System.ComponentModel.DataAnnotations;

namespace Workforce.Api.Telemetry;

/// <summary>Bound from <c>Workforce:Telemetry</c>: where the spans of the "Workforce" source go, and how many are kept.</summary>
public sealed class TracingOptions
{
    public const string Section = "Workforce:Telemetry";

    /// <summary>
    /// Off: no tracer is registered (no spans, no stored <c>traceparent</c>, so no <c>traceContext</c> for agents), and
    /// the Functions app exports no metrics either. For measuring what telemetry costs, or where it is unwanted.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>An OTLP collector (e.g. <c>http://localhost:4317</c>). Empty: spans are recorded for the stored traceparent but exported nowhere.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318, path <c>/v1/traces</c>).</summary>
    [RegularExpression("^(grpc|http/protobuf)$", ErrorMessage = "Workforce:Telemetry:OtlpProtocol is grpc or http/protobuf.")]
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>
    /// The share of new traces kept (0 to 1). Parent-based: a request arriving with a sampled traceparent (an agent
    /// continuing its task's trace) is kept whatever the ratio, so a sampled trace is never cut in half.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SamplingRatio { get; set; } = 1.0;
}
