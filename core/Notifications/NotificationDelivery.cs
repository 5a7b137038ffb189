namespace Workforce.Core.Notifications;

public enum DeliveryStatus
{
    /// <summary>Not yet delivered, and another attempt is due at <see cref="NotificationDelivery.NextAttemptAt"/>.</summary>
    Pending,
    Succeeded,

    /// <summary>The retry schedule ran out, the endpoint was disabled, or it was removed. A retry or replay sends it again.</summary>
    Failed,
}

/// <summary>One try of a delivery: what the peer answered (an HTTP status, an SMTP reply) and how long it took.</summary>
public sealed record DeliveryAttempt(int Number, DateTimeOffset At, bool Succeeded, int? StatusCode, string? Reply, long DurationMs, string? Error);

/// <summary>
/// An event on its way to one endpoint, with every attempt. Its id is derived from the event and the endpoint, so
/// fanning an event out again finds the same deliveries.
/// </summary>
public sealed record NotificationDelivery
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string EndpointId { get; init; }

    public required NotificationChannel Channel { get; init; }

    public required NotificationEvent Event { get; init; }

    public DeliveryStatus Status { get; init; } = DeliveryStatus.Pending;

    public IReadOnlyList<DeliveryAttempt> Attempts { get; init; } = [];

    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>How many times it was sent again by request (a retry or a replay); each starts a fresh retry schedule.</summary>
    public int Resends { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public static string IdFor(string eventId, string endpointId) => $"dlv_{Suffix(eventId)}_{Suffix(endpointId)}";

    /// <summary>Attempts since the last resend: the position in the retry schedule.</summary>
    public int AttemptsInRun => Attempts.Count(a => a.Number > RunStartsAfter);

    /// <summary>The attempt number the current run started after.</summary>
    public int RunStartsAfter { get; init; }

    public static NotificationDelivery For(NotificationEvent notification, NotificationEndpoint endpoint, DateTimeOffset at) => new()
    {
        Id = IdFor(notification.Id, endpoint.Id),
        TenantId = endpoint.TenantId,
        EndpointId = endpoint.Id,
        Channel = endpoint.Channel,
        Event = notification,
        NextAttemptAt = at,
        CreatedAt = at,
        UpdatedAt = at,
    };

    public NotificationDelivery Record(DeliveryAttempt attempt, DateTimeOffset? nextAttemptAt) => this with
    {
        Attempts = [.. Attempts, attempt],
        Status = attempt.Succeeded ? DeliveryStatus.Succeeded : nextAttemptAt is null ? DeliveryStatus.Failed : DeliveryStatus.Pending,
        NextAttemptAt = attempt.Succeeded ? null : nextAttemptAt,
        UpdatedAt = attempt.At,
    };

    /// <summary>Gives up without an attempt: the endpoint was disabled or removed.</summary>
    public NotificationDelivery Abandon(string reason, DateTimeOffset at) => Record(new DeliveryAttempt(Attempts.Count + 1, at, false, null, null, 0, reason), null);

    /// <summary>Sends it again from the start of the retry schedule.</summary>
    public NotificationDelivery Resend(DateTimeOffset at) => this with
    {
        Status = DeliveryStatus.Pending,
        NextAttemptAt = at,
        Resends = Resends + 1,
        RunStartsAfter = Attempts.Count,
        UpdatedAt = at,
    };

    /// <summary>The durable workflow that carries the current run: one per delivery and resend.</summary>
    public string RunId => Resends == 0 ? Id : $"{Id}-resend-{Resends}";

    private static string Suffix(string id) => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..];
}

/// <summary>An event once fanned out: the sequence it was given and the deliveries it made. Fanning it out again finds this.</summary>
public sealed record FannedOutEvent(string EventId, long Sequence, DateTimeOffset At, IReadOnlyList<string> DeliveryIds);
