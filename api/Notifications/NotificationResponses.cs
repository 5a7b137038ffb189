using System.Text.Json;
using Workforce.Core.Notifications;

namespace Workforce.Api.Notifications;

/// <summary>A notification endpoint. <see cref="Secret"/> is shown only when it is created or its secret rotated.</summary>
public sealed record EndpointResponse(
    string Id,
    NotificationChannel Channel,
    string Target,
    IReadOnlyList<string> Events,
    NotificationLevel MinLevel,
    string? Description,
    EndpointStatus Status,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Secret)
{
    public static EndpointResponse From(NotificationEndpoint endpoint, bool withSecret = false)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new(endpoint.Id, endpoint.Channel, endpoint.Target, endpoint.Events, endpoint.MinLevel, endpoint.Description, endpoint.Status,
            endpoint.DisabledReason, endpoint.FailingSince, endpoint.CreatedAt, endpoint.UpdatedAt, withSecret ? endpoint.Secrets[0].Value : null);
    }
}

public sealed record EndpointListResponse(IReadOnlyList<EndpointResponse> Items);

public sealed record CreateEndpointRequest(NotificationChannel? Channel, string? Target, IReadOnlyList<string>? Events, NotificationLevel? MinLevel, string? Description);

public sealed record DeliveryAttemptResponse(int Number, DateTimeOffset At, bool Succeeded, int? StatusCode, string? Reply, long DurationMs, string? Error);

/// <summary>A delivery with every attempt; <see cref="Payload"/> is the event as a webhook receives it.</summary>
public sealed record DeliveryResponse(
    string Id,
    string EndpointId,
    NotificationChannel Channel,
    string EventId,
    string Event,
    NotificationLevel Level,
    long Sequence,
    DeliveryStatus Status,
    IReadOnlyList<DeliveryAttemptResponse> Attempts,
    DateTimeOffset? NextAttemptAt,
    int Resends,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    JsonElement Payload)
{
    public static DeliveryResponse From(NotificationDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        using var payload = JsonDocument.Parse(NotificationMessage.JsonOf(delivery.Event));
        return new(delivery.Id, delivery.EndpointId, delivery.Channel, delivery.Event.Id, delivery.Event.Type, delivery.Event.Level, delivery.Event.Sequence,
            delivery.Status, [.. delivery.Attempts.Select(a => new DeliveryAttemptResponse(a.Number, a.At, a.Succeeded, a.StatusCode, a.Reply, a.DurationMs, a.Error))],
            delivery.NextAttemptAt, delivery.Resends, delivery.CreatedAt, delivery.UpdatedAt, payload.RootElement.Clone());
    }
}

public sealed record ReplayResponse(int Resent);

/// <summary>One event type of the catalogue; <see cref="OptIn"/> events reach only endpoints that name them.</summary>
public sealed record EventTypeResponse(string Type, NotificationLevel Level, string Description, IReadOnlyList<string> Fields, bool OptIn, string Summary, string Body);

public sealed record EventCatalogueResponse(IReadOnlyList<EventTypeResponse> Items);

public sealed record TemplateRequest(string? Subject, string? Body);

public sealed record TemplateResponse(string Event, NotificationChannel Channel, string? Subject, string Body, DateTimeOffset UpdatedAt)
{
    public static TemplateResponse From(NotificationTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new(template.Event, template.Channel, template.Subject, template.Body, template.UpdatedAt);
    }
}

public sealed record TemplateListResponse(IReadOnlyList<TemplateResponse> Items);
