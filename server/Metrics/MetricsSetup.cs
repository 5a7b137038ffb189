using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Workforce.Api;
using Workforce.Api.Auth;
using Workforce.Core.Metrics;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Metrics;

/// <summary>
/// OpenTelemetry metrics exported for Prometheus: the <see cref="WorkforceMeter"/>, ASP.NET Core's and Kestrel's own
/// meters (<c>http_server_request_duration_seconds</c> and friends), served on the server's own port.
/// </summary>
internal static class MetricsSetup
{
    public static IServiceCollection AddWorkforceMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MetricsOptions>(MetricsOptions.Section);
        services.AddSingleton<DurableEngineGauges>();
        // Off, nothing listens to the meter, so recording costs next to nothing, and the levels are not sampled.
        if (configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() is { Enabled: false })
        {
            return services;
        }

        services.AddHostedService<LevelsSampling>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(WorkforceMeter.Name)
            .AddAspNetCoreInstrumentation()
            .AddMeter("Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapWorkforceMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        // Instruments exist once their meter does: the task feed resolves its observers on the first change and
        // nothing else asks for the engine's gauges, so both are resolved here for the first scrape to see them all.
        var meter = app.Services.GetRequiredService<WorkforceMeter>();
        app.Services.GetRequiredService<DurableEngineGauges>();
        // The group-commit writer is below the store's port: its batch sizes are wired here, where the host knows it.
        app.Services.GetRequiredService<SqliteDatabase>().Writer.Committed += size => meter.RecordBatch(Batches.SqliteCommit, size);
        if (!options.Enabled)
        {
            return app;
        }

        var endpoint = app.MapPrometheusScrapingEndpoint(options.Path).ExcludeFromDescription();
        if (options.RequireAdminKey)
        {
            endpoint.RequireAuthorization(CallerClaims.AdminPolicy);
        }
        else
        {
            endpoint.AllowAnonymous();
        }

        return app;
    }
}
