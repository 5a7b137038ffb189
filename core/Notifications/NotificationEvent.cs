namespace Workforce.Core.Notifications;

/// <summary>How much an event matters: an endpoint hears only events at or above its <c>minLevel</c>.</summary>
public enum NotificationLevel
{
    Info,
    Warning,
    Critical,
}

/// <summary>
/// Something that happened to a tenant that its people or systems may want to hear of. Raised in the transaction of
/// the change that caused it (<see cref="NotificationOutbox"/>); its <see cref="Sequence"/> is given when it is fanned
/// out to the tenant's endpoints, strictly increasing per tenant. <see cref="Id"/> is what receivers dedupe by.
/// </summary>
/// <param name="Data">The event's fields (see <see cref="NotificationEvents"/>): strings and numbers, camelCase names.</param>
public sealed record NotificationEvent(string Id, string Type, NotificationLevel Level, string TenantId, DateTimeOffset OccurredAt, IReadOnlyDictionary<string, object?> Data)
{
    /// <summary>0 until the event is fanned out.</summary>
    public long Sequence { get; init; }

    /// <summary>
    /// The endpoints the event is addressed to, when it is meant for them alone (a report schedule's report.ready):
    /// it reaches those of them that are enabled, whatever events and level they ask for, and no other endpoint.
    /// Null for the usual events, which reach every endpoint that wants them.
    /// </summary>
    public IReadOnlyList<string>? Recipients { get; init; }

    public static string NewId() => $"evt_{Guid.CreateVersion7():N}";
}
