using Workforce.Api.Notifications;
using Workforce.Core;

namespace Workforce.Server.Notifications;

internal static class NotificationsApi
{
    /// <summary>Where a tenant's events go: webhook, email and SMS endpoints, their deliveries, and the wording of email and SMS.</summary>
    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("").WithTags("Notifications");
        notifications.MapGet(ApiRoutes.NotificationEvents, NotificationEndpoints.Events)
            .WithSummary("The event catalogue: each event's type, level, fields and default wording");
        notifications.MapPost(ApiRoutes.NotificationEndpoints, NotificationEndpoints.CreateAsync)
            .WithSummary("Add an endpoint (webhook, email or sms)")
            .WithDescription("Events by name (empty: all but the opt-in task.completed) at or above minLevel. A webhook's signing secret is in this answer only. " +
                "Webhook targets are https and public unless the server allows otherwise (Workforce:Notifications).");
        notifications.MapGet(ApiRoutes.NotificationEndpoints, NotificationEndpoints.ListAsync).WithSummary("The tenant's endpoints");
        notifications.MapGet(ApiRoutes.NotificationEndpoint, NotificationEndpoints.GetAsync).WithSummary("An endpoint");
        notifications.MapDelete(ApiRoutes.NotificationEndpoint, NotificationEndpoints.DeleteAsync).WithSummary("Remove an endpoint; its deliveries stay for the record");
        notifications.MapPost(ApiRoutes.NotificationEndpointTest, NotificationEndpoints.TestAsync)
            .WithSummary("Send the endpoint a notification.test event")
            .WithDescription("202 with the delivery; read it again (Location) to see how the endpoint answered.");
        notifications.MapPost(ApiRoutes.NotificationEndpointRotateSecret, NotificationEndpoints.RotateSecretAsync)
            .WithSummary("Give a webhook endpoint a new signing secret")
            .WithDescription("The new secret is in this answer only; the old one keeps signing beside it for Workforce:Notifications:SecretRotationOverlap (24 h).");
        notifications.MapPost(ApiRoutes.NotificationEndpointReplay, NotificationEndpoints.ReplayAsync)
            .WithSummary("Send the endpoint again what failed since a time (?since=ISO 8601)");
        notifications.MapGet(ApiRoutes.NotificationDeliveries, NotificationEndpoints.ListDeliveriesAsync)
            .WithSummary("Deliveries with every attempt, newest first")
            .WithDescription("Filter by endpointId, status (pending, succeeded, failed) and event; page with limit and cursor.");
        notifications.MapGet(ApiRoutes.NotificationDelivery, NotificationEndpoints.GetDeliveryAsync).WithSummary("A delivery with every attempt");
        notifications.MapPost(ApiRoutes.NotificationDeliveryRetry, NotificationEndpoints.RetryDeliveryAsync)
            .WithSummary("Send a finished delivery again, from the start of the retry schedule");
        notifications.MapGet(ApiRoutes.NotificationTemplates, NotificationEndpoints.ListTemplatesAsync).WithSummary("The tenant's own email and SMS templates");
        notifications.MapPut(ApiRoutes.NotificationTemplate, NotificationEndpoints.PutTemplateAsync)
            .WithSummary("Set the wording of an event on email or sms")
            .WithDescription("Text with {{field}} placeholders of the event (see the catalogue) and nothing else; email has a subject and a body, sent as text and HTML.");
        notifications.MapDelete(ApiRoutes.NotificationTemplate, NotificationEndpoints.DeleteTemplateAsync).WithSummary("Go back to the catalogue's wording");
        return api;
    }
}
