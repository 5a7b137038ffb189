using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Http;
using Workforce.Api.Realtime;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Realtime;

/// <summary>
/// Live updates through Azure SignalR Service. A client gets an access token with its tenant key, as on the server,
/// and the token's hub address is this app's negotiate endpoint for its tenant (<see cref="NegotiateAddress"/>); the
/// SignalR client negotiates there with the token and is sent on to the service, connected as the user named by its
/// tenant id, which is where <see cref="LiveUpdates"/> addresses that tenant's updates.
/// </summary>
public sealed class RealtimeFunctions(ApiRequests api, RealtimeTokenValidation tokens)
{
    private const string BearerPrefix = "Bearer ";

    [Function(nameof(IssueRealtimeToken))]
    public Task<ApiResponse> IssueRealtimeToken(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RealtimeToken)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, RealtimeEndpoints.IssueToken);

    /// <remarks>
    /// The binding signs connection info for the tenant the query names before this code runs; it is handed out only
    /// when the caller's access token vouches for that same tenant.
    /// </remarks>
    [Function(nameof(Negotiate))]
    public async Task<IActionResult> Negotiate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NegotiateAddress.Route)] HttpRequest request,
        [SignalRConnectionInfoInput(HubName = LiveUpdates.HubName, UserId = "{query." + NegotiateAddress.TenantQuery + "}", ConnectionStringSetting = Settings.SignalR)]
        SignalRConnectionInfo connection)
    {
        var authorization = request.Headers.Authorization.ToString();
        var token = authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? authorization[BearerPrefix.Length..].Trim() : "";
        var holder = await tokens.ValidateAsync(token, request.HttpContext.RequestAborted);
        if (holder is null || holder.Caller.TenantId != request.Query[NegotiateAddress.TenantQuery])
        {
            await RealtimeTokenValidation.Refused.ToProblem(request.HttpContext).ExecuteAsync(request.HttpContext);
            return new EmptyResult();
        }

        return new OkObjectResult(connection);
    }
}

/// <summary>Where a tenant's SignalR clients negotiate: <c>/api/negotiate?tenant={id}</c>, from the hub URL <c>/api?tenant={id}</c>.</summary>
internal static class NegotiateAddress
{
    public const string Route = "negotiate";
    public const string TenantQuery = "tenant";
    public const string Template = $"/{ApiRoutes.Prefix}?{TenantQuery}={{tenant}}";
}
