using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Forecasting;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Forecasting;

/// <summary>The forecasting routes: forecasts, anomalies, the scaling advice an autoscaler reads, and the models.</summary>
public sealed class ForecastingFunctions(ApiRequests api)
{
    [Function(nameof(GetForecasts))]
    public Task<ApiResponse> GetForecasts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Forecasts)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ForecastEndpoints.GetForecastsAsync);

    [Function(nameof(GetAnomalies))]
    public Task<ApiResponse> GetAnomalies(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Anomalies)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ForecastEndpoints.GetAnomaliesAsync);

    [Function(nameof(GetRecommendations))]
    public Task<ApiResponse> GetRecommendations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Recommendations)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ForecastEndpoints.GetRecommendationsAsync);

    [Function(nameof(GetModels))]
    public Task<ApiResponse> GetModels(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Models)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ForecastEndpoints.GetModelsAsync);

    [Function(nameof(RetrainModels))]
    public Task<ApiResponse> RetrainModels(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ModelsRetrain)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ForecastEndpoints.RetrainAsync);

    [Function(nameof(RollBackModel))]
    public Task<ApiResponse> RollBackModel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ModelRollback)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ForecastEndpoints.RollBackAsync);
}
