using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workforce.Api.Health;
using Workforce.Core;
using Workforce.Server.Storage;

namespace Workforce.Server.Health;

/// <summary>
/// The probes beside <c>/api/health</c> (which stays as it was): <c>/api/health/live</c> asks nothing of any
/// dependency, so a restart is never triggered by a slow disk; <c>/api/health/ready</c> runs the checks tagged
/// <see cref="Ready"/> and answers 503 when one fails, so a load balancer stops sending traffic.
/// </summary>
internal static class HealthChecksSetup
{
    private const string Ready = HealthReportJson.Ready;

    private static readonly TimeSpan CheckTimeout = HealthReportJson.CheckTimeout;

    public static IServiceCollection AddWorkforceHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<SqliteWritableCheck>("sqlite", tags: [Ready], timeout: CheckTimeout)
            .AddCheck<DurableEngineCheck>("durable", tags: [Ready], timeout: CheckTimeout);
        if (string.Equals(configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.Provider, StorageOptions.Azure, StringComparison.Ordinal))
        {
            checks.AddCheck<AzureStorageCheck>("azureStorage", tags: [Ready], timeout: CheckTimeout);
        }

        return services;
    }

    public static WebApplication MapWorkforceHealthChecks(this WebApplication app)
    {
        var prefix = "/" + ApiRoutes.Prefix + "/" + ApiRoutes.Health;
        app.MapHealthChecks(prefix + "/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthReportJson.WriteAsync })
            .AllowAnonymous()
            .DisableRateLimiting()
            .ExcludeFromDescription();
        app.MapHealthChecks(prefix + "/ready", new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains(Ready),
                ResponseWriter = HealthReportJson.WriteAsync,
                ResultStatusCodes =
                {
                    [HealthStatus.Healthy] = HealthReportJson.StatusCode(HealthStatus.Healthy),
                    [HealthStatus.Degraded] = HealthReportJson.StatusCode(HealthStatus.Degraded),
                    [HealthStatus.Unhealthy] = HealthReportJson.StatusCode(HealthStatus.Unhealthy),
                },
            })
            .AllowAnonymous()
            .DisableRateLimiting()
            .ExcludeFromDescription();
        return app;
    }
}
