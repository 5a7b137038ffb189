namespace Workforce.Core.Notifications;

/// <summary>
/// A tenant's own wording of an event on a channel, replacing the default of the catalogue. Email has a subject and
/// a body (sent as plain text and as HTML); SMS a body. Webhooks are not templated: their body is the event's JSON.
/// </summary>
public sealed record NotificationTemplate(string TenantId, string Event, NotificationChannel Channel, string? Subject, string Body, DateTimeOffset UpdatedAt);
