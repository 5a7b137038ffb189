using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Operations;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Operations;

/// <summary>The v1 operations routes: the tenant's lifecycle orchestrations (through the Durable client) and queues.</summary>
public sealed class OperationsFunctions(ApiRequests api)
{
    [Function(nameof(ListOrchestrations))]
    public Task<ApiResponse> ListOrchestrations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Orchestrations)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, OperationsEndpoints.ListOrchestrationsAsync);

    [Function(nameof(GetOrchestration))]
    public Task<ApiResponse> GetOrchestration(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Orchestration)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, OperationsEndpoints.GetOrchestrationAsync);

    [Function(nameof(GetQueues))]
    public Task<ApiResponse> GetQueues(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Queues)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, OperationsEndpoints.GetQueuesAsync);
}
