using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Notifications;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Notifications;

/// <summary>
/// The v1 notification routes — the event catalogue, endpoints, deliveries and templates — served by the same
/// handlers as on the standalone server, metered as there. The test, retry and replay routes start delivery runs
/// with the client each function binds.
/// </summary>
public sealed class NotificationFunctions(ApiRequests api)
{
    [Function(nameof(ListNotificationEvents))]
    public Task<ApiResponse> ListNotificationEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.NotificationEvents)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.Events);

    [Function(nameof(CreateNotificationEndpoint))]
    public Task<ApiResponse> CreateNotificationEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.NotificationEndpoints)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.CreateAsync);

    [Function(nameof(ListNotificationEndpoints))]
    public Task<ApiResponse> ListNotificationEndpoints(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.NotificationEndpoints)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.ListAsync);

    [Function(nameof(GetNotificationEndpoint))]
    public Task<ApiResponse> GetNotificationEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.NotificationEndpoint)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.GetAsync);

    [Function(nameof(DeleteNotificationEndpoint))]
    public Task<ApiResponse> DeleteNotificationEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.NotificationEndpoint)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.DeleteAsync);

    [Function(nameof(TestNotificationEndpoint))]
    public Task<ApiResponse> TestNotificationEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.NotificationEndpointTest)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.TestAsync);

    [Function(nameof(RotateNotificationEndpointSecret))]
    public Task<ApiResponse> RotateNotificationEndpointSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.NotificationEndpointRotateSecret)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.RotateSecretAsync);

    [Function(nameof(ReplayNotificationEndpoint))]
    public Task<ApiResponse> ReplayNotificationEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.NotificationEndpointReplay)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.ReplayAsync);

    [Function(nameof(ListNotificationDeliveries))]
    public Task<ApiResponse> ListNotificationDeliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.NotificationDeliveries)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.ListDeliveriesAsync);

    [Function(nameof(GetNotificationDelivery))]
    public Task<ApiResponse> GetNotificationDelivery(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.NotificationDelivery)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.GetDeliveryAsync);

    [Function(nameof(RetryNotificationDelivery))]
    public Task<ApiResponse> RetryNotificationDelivery(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.NotificationDeliveryRetry)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.RetryDeliveryAsync);

    [Function(nameof(ListNotificationTemplates))]
    public Task<ApiResponse> ListNotificationTemplates(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.NotificationTemplates)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.ListTemplatesAsync);

    [Function(nameof(SetNotificationTemplate))]
    public Task<ApiResponse> SetNotificationTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.NotificationTemplate)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.PutTemplateAsync);

    [Function(nameof(DeleteNotificationTemplate))]
    public Task<ApiResponse> DeleteNotificationTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.NotificationTemplate)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, NotificationEndpoints.DeleteTemplateAsync);
}
