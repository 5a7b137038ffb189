using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Analytics;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Analytics;

/// <summary>The analytics routes: the tenant's kept history and the instances' current figures, metered.</summary>
public sealed class AnalyticsFunctions(ApiRequests api)
{
    [Function(nameof(GetAnalyticsSummary))]
    public Task<ApiResponse> GetAnalyticsSummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AnalyticsSummary)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AnalyticsEndpoints.GetSummaryAsync);

    [Function(nameof(GetAnalyticsSeries))]
    public Task<ApiResponse> GetAnalyticsSeries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AnalyticsSeries)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AnalyticsEndpoints.GetSeriesAsync);

    [Function(nameof(GetVisualizations))]
    public Task<ApiResponse> GetVisualizations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Visualizations)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AnalyticsEndpoints.GetVisualizationsAsync);

    [Function(nameof(GetPerformance))]
    public Task<ApiResponse> GetPerformance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Performance)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AnalyticsEndpoints.GetPerformanceAsync);

    [Function(nameof(GetAgentMetrics))]
    public Task<ApiResponse> GetAgentMetrics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AgentMetrics)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AnalyticsEndpoints.GetAgentMetricsAsync);
}
