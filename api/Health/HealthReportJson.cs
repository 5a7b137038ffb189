using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Workforce.Api.Health;

/// <summary>
/// The probes' body: the overall status and each check's status, duration and description, so that whoever reads
/// a failed probe sees which dependency failed and how long it took to say so. The same on both hosts.
/// </summary>
public static class HealthReportJson
{
    /// <summary>The tag of the checks <c>/api/health/ready</c> runs.</summary>
    public const string Ready = "ready";

    /// <summary>Bounds each readiness check: an unreachable account must not hold the probe past its own timeout.</summary>
    public static TimeSpan CheckTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <summary>A degraded check still takes traffic; only a failed one answers 503.</summary>
    public static int StatusCode(HealthStatus status) =>
        status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new
        {
            status = Name(report.Status),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new
            {
                status = Name(entry.Value.Status),
                durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                description = entry.Value.Description,
                data = entry.Value.Data.Count == 0 ? null : entry.Value.Data,
            }),
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
