using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Agents;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Agents;

/// <summary>The v1 agent routes, served by the same handlers as on the standalone server.</summary>
public sealed class AgentFunctions(ApiRequests api)
{
    [Function(nameof(RegisterAgent))]
    public Task<ApiResponse> RegisterAgent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Agents)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AgentEndpoints.RegisterAsync);

    [Function(nameof(ListAgents))]
    public Task<ApiResponse> ListAgents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Agents)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AgentEndpoints.ListAsync);

    [Function(nameof(GetAgent))]
    public Task<ApiResponse> GetAgent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Agent)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AgentEndpoints.GetAsync);

    [Function(nameof(RemoveAgent))]
    public Task<ApiResponse> RemoveAgent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.Agent)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AgentEndpoints.RemoveAsync);

    [Function(nameof(RecordHeartbeat))]
    public Task<ApiResponse> RecordHeartbeat(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.AgentHeartbeat)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AgentEndpoints.HeartbeatAsync);

    [Function(nameof(ListHeldTasks))]
    public Task<ApiResponse> ListHeldTasks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AgentTasks)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AgentEndpoints.HeldTasksAsync);

    [Function(nameof(ReportMetrics))]
    public Task<ApiResponse> ReportMetrics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.AgentMetrics)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AgentEndpoints.ReportMetricsAsync);

    [Function(nameof(LeaseTask))]
    public Task<ApiResponse> LeaseTask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.AgentLease)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AgentEndpoints.LeaseAsync);

    [Function(nameof(DrainAgent))]
    public Task<ApiResponse> DrainAgent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.AgentDrain)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AgentEndpoints.DrainAsync);

    [Function(nameof(ResumeAgent))]
    public Task<ApiResponse> ResumeAgent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.AgentResume)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, AgentEndpoints.ResumeAsync);
}
