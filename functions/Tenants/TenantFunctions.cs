using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Tenants;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Tenants;

/// <summary>The v1 tenant route: platform administration, for the holder of the admin key.</summary>
public sealed class TenantFunctions(ApiRequests api)
{
    [Function(nameof(CreateTenant))]
    public Task<ApiResponse> CreateTenant(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Tenants)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Admin, TenantEndpoints.CreateAsync);
}
