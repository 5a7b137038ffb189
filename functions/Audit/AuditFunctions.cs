using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Audit;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Audit;

/// <summary>The tenant's audit log: not metered, and open when a quota is used up, like usage.</summary>
public sealed class AuditFunctions(ApiRequests api)
{
    [Function(nameof(GetAuditLog))]
    public Task<ApiResponse> GetAuditLog(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Audit)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, AuditEndpoints.ListAsync);
}
