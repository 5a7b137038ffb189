using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Messaging;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Messaging;

/// <summary>
/// The v1 messaging routes, served by the same handlers as on the standalone server. A receive's long poll is woken
/// by a send on the same instance and otherwise looks again every <c>Workforce:Messaging:RecheckInterval</c>, so a
/// message sent through another instance is found within that interval.
/// </summary>
public sealed class MessageFunctions(ApiRequests api)
{
    [Function(nameof(SendMessage))]
    public Task<ApiResponse> SendMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.AgentMessages)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, MessageEndpoints.SendAsync);

    [Function(nameof(ReceiveMessages))]
    public Task<ApiResponse> ReceiveMessages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AgentMessages)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, MessageEndpoints.ReceiveAsync);

    [Function(nameof(AcknowledgeMessage))]
    public Task<ApiResponse> AcknowledgeMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.AgentMessageAck)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, MessageEndpoints.AcknowledgeAsync);

    [Function(nameof(BroadcastMessage))]
    public Task<ApiResponse> BroadcastMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Messages)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, MessageEndpoints.BroadcastAsync);
}
