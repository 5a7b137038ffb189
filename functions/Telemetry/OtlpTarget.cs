using OpenTelemetry.Exporter;
using Workforce.Api.Telemetry;

namespace Workforce.Functions.Telemetry;

/// <summary>The OTLP exporter's protocol and endpoint from <c>Workforce:Telemetry</c>, for traces and metrics alike.</summary>
internal static class OtlpTarget
{
    /// <param name="signalPath">Added to an HTTP endpoint given without a path: <c>/v1/traces</c> or <c>/v1/metrics</c>.</param>
    public static void Configure(OtlpExporterOptions otlp, TracingOptions options, string signalPath)
    {
        var endpoint = options.OtlpEndpoint ?? throw new InvalidOperationException("No OTLP endpoint is set.");
        otlp.Protocol = options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        otlp.Endpoint = otlp.Protocol == OtlpExportProtocol.HttpProtobuf && endpoint.AbsolutePath == "/" ? new Uri(endpoint, signalPath) : endpoint;
    }
}
