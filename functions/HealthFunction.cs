using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions;

/// <summary>The liveness probe; it needs no key.</summary>
public sealed class HealthFunction(ApiRequests api)
{
    [Function(nameof(CheckHealth))]
    public Task<ApiResponse> CheckHealth(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Anyone, HealthEndpoint.Check);
}
