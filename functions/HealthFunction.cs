using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workforce.Api;
using Workforce.Api.Health;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions;

/// <summary>
/// The probes, none needing a key, as the server's: <c>/api/health</c> as it always was; <c>/api/health/live</c>
/// asks nothing of any dependency; <c>/api/health/ready</c> runs the checks tagged ready (the storage account
/// answers) and answers 503 when one fails. The JSON is the server's (<see cref="HealthReportJson"/>). Like the
/// server's, the probes are not rate limited, metered or audited.
/// </summary>
public sealed class HealthFunction(ApiRequests api, HealthCheckService health)
{
    private const string Live = ApiRoutes.Health + "/live";
    private const string Ready = ApiRoutes.Health + "/ready";

    [Function(nameof(CheckHealth))]
    public Task<ApiResponse> CheckHealth(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Anyone, HealthEndpoint.Check);

    [Function(nameof(CheckLiveness))]
    public Task<ApiResponse> CheckLiveness(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Live)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        RespondAsync(request, _ => false);

    [Function(nameof(CheckReadiness))]
    public Task<ApiResponse> CheckReadiness(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Ready)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        RespondAsync(request, check => check.Tags.Contains(HealthReportJson.Ready));

    private async Task<ApiResponse> RespondAsync(HttpRequest request, Func<HealthCheckRegistration, bool> checks)
    {
        var report = await health.CheckHealthAsync(checks, request.HttpContext.RequestAborted);
        request.HttpContext.Response.StatusCode = HealthReportJson.StatusCode(report.Status);
        await HealthReportJson.WriteAsync(request.HttpContext, report);
        return new ApiResponse(null);
    }
}
