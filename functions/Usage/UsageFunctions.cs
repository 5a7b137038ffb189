using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Usage;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Usage;

/// <summary>The usage and subscription routes: not metered, and open when a quota is used up.</summary>
public sealed class UsageFunctions(ApiRequests api)
{
    [Function(nameof(GetUsage))]
    public Task<ApiResponse> GetUsage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Usage)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, UsageEndpoints.GetUsageAsync);

    [Function(nameof(GetUsageHistory))]
    public Task<ApiResponse> GetUsageHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.UsageHistory)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, UsageEndpoints.GetHistoryAsync);

    [Function(nameof(GetSubscription))]
    public Task<ApiResponse> GetSubscription(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Subscription)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, UsageEndpoints.GetSubscriptionAsync);

    [Function(nameof(ChangeSubscription))]
    public Task<ApiResponse> ChangeSubscription(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.Subscription)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, UsageEndpoints.ChangeSubscriptionAsync);

    [Function(nameof(SetSubscriptionTerms))]
    public Task<ApiResponse> SetSubscriptionTerms(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.TenantSubscription)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Admin, UsageEndpoints.SetTermsAsync);
}
