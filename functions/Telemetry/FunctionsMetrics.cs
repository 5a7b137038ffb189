using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Workforce.Api.Telemetry;
using Workforce.Core.Metrics;

namespace Workforce.Functions.Telemetry;

/// <summary>
/// The Functions app's metrics: the same "Workforce" meter as the server's, pushed rather than scraped (Functions
/// is monitored through Azure Monitor, and its instances come and go): to Application Insights when
/// APPLICATIONINSIGHTS_CONNECTION_STRING is set (the Azure Monitor exporter, as customMetrics), and over OTLP to
/// <c>Workforce:Telemetry:OtlpEndpoint</c> when it is set, as the traces go. Counters and histograms come from the
/// task changes each instance commits; the level gauges (pending tasks, agents, queues, tenant quotas) are dropped,
/// as no instance samples them: Service Bus and Storage report their own queue depths in Azure Monitor.
/// </summary>
internal static class FunctionsMetrics
{
    public static IServiceCollection AddWorkforceMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TracingOptions.Section).Get<TracingOptions>() ?? new TracingOptions();
        var appInsights = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        if (!options.Enabled || (string.IsNullOrEmpty(appInsights) && options.OtlpEndpoint is null))
        {
            // Nowhere to send them: no listener, so recording costs next to nothing.
            return services;
        }

        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(WorkforceMeter.Name)
                .AddView(instrument => instrument.Meter.Name == WorkforceMeter.Name && WorkforceMeter.LevelInstruments.Contains(instrument.Name)
                    ? MetricStreamConfiguration.Drop
                    : null);
            if (!string.IsNullOrEmpty(appInsights))
            {
                metrics.AddAzureMonitorMetricExporter(monitor => monitor.ConnectionString = appInsights);
            }

            if (options.OtlpEndpoint is not null)
            {
                metrics.AddOtlpExporter(otlp => OtlpTarget.Configure(otlp, options, "/v1/metrics"));
            }
        });
        return services;
    }
}
