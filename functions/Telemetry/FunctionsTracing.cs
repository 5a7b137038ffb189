using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Workforce.Api;
using Workforce.Api.Telemetry;
using Workforce.Core.Telemetry;

namespace Workforce.Functions.Telemetry;

/// <summary>
/// The Functions app's traces, the same "Workforce" source as the server's, through the Functions OpenTelemetry
/// integration (each invocation's span parents the platform's spans): to Application Insights when
/// APPLICATIONINSIGHTS_CONNECTION_STRING is set (the Azure Monitor exporter), and over OTLP when
/// <c>Workforce:Telemetry:OtlpEndpoint</c> is. Sampling is parent-based by <c>Workforce:Telemetry:SamplingRatio</c>.
/// </summary>
internal static class FunctionsTracing
{
    public static IServiceCollection AddWorkforceTracing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TracingOptions>(TracingOptions.Section);
        var options = configuration.GetSection(TracingOptions.Section).Get<TracingOptions>() ?? new TracingOptions();
        var appInsights = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        if (!options.Enabled)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(options.SamplingRatio, 0, 1))))
                    .AddSource(WorkforceTraces.SourceName);
                if (!string.IsNullOrEmpty(appInsights))
                {
                    tracing.AddAzureMonitorTraceExporter(monitor => monitor.ConnectionString = appInsights);
                }

                if (options.OtlpEndpoint is not null)
                {
                    tracing.AddOtlpExporter(otlp => OtlpTarget.Configure(otlp, options, "/v1/traces"));
                }
            });
        return services;
    }
}
