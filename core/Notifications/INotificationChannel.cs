namespace Workforce.Core.Notifications;

public enum ChannelOutcome
{
    Delivered,

    /// <summary>Not delivered this time; the schedule tries again.</summary>
    Failed,

    /// <summary>The peer says the endpoint is gone for good (HTTP 410): it is disabled.</summary>
    Gone,
}

/// <summary>What the peer answered: an HTTP status or an SMTP reply, an error when there was no answer, and any wait it asked for.</summary>
public sealed record ChannelResult(ChannelOutcome Outcome, int? StatusCode, string? Reply, string? Error, TimeSpan? RetryAfter = null)
{
    public static ChannelResult Unreachable(string error) => new(ChannelOutcome.Failed, null, null, error);
}

/// <summary>One attempt to hand an event to an endpoint, at <see cref="At"/> (webhooks sign that time).</summary>
public sealed record NotificationSend(NotificationEndpoint Endpoint, NotificationEvent Event, NotificationMessage Message, DateTimeOffset At);

/// <summary>
/// A way of reaching an endpoint (webhook, email, SMS), an adapter outside the core. It reports failures of the peer
/// in its result and does not throw for them; the attempt's time limit is its own (<see cref="NotificationOptions.AttemptTimeout"/>).
/// </summary>
public interface INotificationChannel
{
    NotificationChannel Channel { get; }

    Task<ChannelResult> SendAsync(NotificationSend send, CancellationToken cancellationToken = default);
}
