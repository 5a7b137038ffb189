using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Workforce.Api;
using Workforce.Api.Telemetry;
using Workforce.Core.Telemetry;

namespace Workforce.Server.Telemetry;

/// <summary>
/// The server's traces: ASP.NET Core's request spans and the platform's "Workforce" source, sampled parent-based by
/// ratio, exported over OTLP when <c>Workforce:Telemetry:OtlpEndpoint</c> is set. The tracer is registered even
/// without an exporter so that each request has a W3C activity whose id the submission stores and the lease hands on.
/// </summary>
internal static class ServerTracing
{
    public static IServiceCollection AddWorkforceTracing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TracingOptions>(TracingOptions.Section);
        // Read here, not through IOptions, because the tracer's pipeline is built before the container; the same
        // values are validated at start-up through the options above.
        var options = configuration.GetSection(TracingOptions.Section).Get<TracingOptions>() ?? new TracingOptions();
        if (!options.Enabled)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("workforce-server"))
            .WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(options.SamplingRatio, 0, 1))))
                    .AddSource(WorkforceTraces.SourceName)
                    // The dashboard's files and the live-updates hub's long polls are not worth a span each.
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => context.Request.Path.StartsWithSegments("/api"));
                if (options.OtlpEndpoint is { } endpoint)
                {
                    tracing.AddOtlpExporter(otlp =>
                    {
                        otlp.Protocol = options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                        otlp.Endpoint = otlp.Protocol == OtlpExportProtocol.HttpProtobuf && endpoint.AbsolutePath == "/"
                            ? new Uri(endpoint, "/v1/traces")
                            : endpoint;
                    });
                }
            });
        return services;
    }
}
