using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Tasks;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Tasks;

/// <summary>The v1 task routes, served by the same handlers as on the standalone server.</summary>
public sealed class TaskFunctions(ApiRequests api)
{
    [Function(nameof(SubmitTask))]
    public Task<ApiResponse> SubmitTask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Tasks)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, TaskEndpoints.SubmitAsync);

    [Function(nameof(SubmitTasks))]
    public Task<ApiResponse> SubmitTasks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.TaskBatch)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, TaskBatchEndpoints.SubmitAsync);

    [Function(nameof(ListTasks))]
    public Task<ApiResponse> ListTasks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Tasks)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, TaskEndpoints.ListAsync);

    [Function(nameof(GetTask))]
    public Task<ApiResponse> GetTask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Task)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, TaskEndpoints.GetAsync);

    [Function(nameof(UpdateTask))]
    public Task<ApiResponse> UpdateTask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = ApiRoutes.Task)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, TaskEditEndpoints.UpdateAsync);

    [Function(nameof(DeleteTask))]
    public Task<ApiResponse> DeleteTask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.Task)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, TaskEditEndpoints.DeleteAsync);

    [Function(nameof(StartTask))]
    public Task<ApiResponse> StartTask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.TaskStart)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, TaskEndpoints.StartAsync);

    [Function(nameof(CompleteTask))]
    public Task<ApiResponse> CompleteTask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.TaskComplete)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, TaskEndpoints.CompleteAsync);

    [Function(nameof(FailTask))]
    public Task<ApiResponse> FailTask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.TaskFail)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, TaskEndpoints.FailAsync);

    [Function(nameof(CancelTask))]
    public Task<ApiResponse> CancelTask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.TaskCancel)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, TaskEndpoints.CancelAsync);

    [Function(nameof(RetryTask))]
    public Task<ApiResponse> RetryTask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.TaskRetry)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, TaskEndpoints.RetryAsync);
}
