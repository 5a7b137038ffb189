using Microsoft.Extensions.Logging;
using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

/// <summary>Where a delivery stands after an attempt: pending with the next attempt due, or finished.</summary>
public sealed record DeliveryStep(DeliveryStatus Status, int NextAttempt, DateTimeOffset? NextAttemptAt);

/// <summary>
/// One attempt of a delivery, as attempt number <c>n</c>: renders the event for the channel (in the tenant's
/// template if it has one), sends it, and records what the peer answered with the next attempt's time from the
/// schedule (later if the peer asked, by Retry-After). 410 Gone, or failures for
/// <see cref="NotificationOptions.DisableFailingAfter"/> without a success, disable the endpoint and raise
/// endpoint.disabled on the others. The send is outside the transaction; a crash between send and record sends
/// attempt <c>n</c> again, which receivers dedupe by the event id: at least once.
/// </summary>
public sealed partial class AttemptDelivery(
    IWorkforceStore store, IEnumerable<INotificationChannel> channels, DeliverySchedule schedule, NotificationOptions options, TimeProvider clock, ILogger<AttemptDelivery> logger)
{
    private readonly Dictionary<NotificationChannel, INotificationChannel> _channels = channels.ToDictionary(c => c.Channel);

    public async Task<DeliveryStep> ExecuteAsync(string tenantId, string deliveryId, int attempt, CancellationToken cancellationToken = default)
    {
        if (await store.FindDeliveryAsync(tenantId, deliveryId, cancellationToken) is not { } delivery)
        {
            return new DeliveryStep(DeliveryStatus.Failed, attempt, null);
        }

        if (delivery.Status != DeliveryStatus.Pending || delivery.Attempts.Any(a => a.Number >= attempt))
        {
            return StepOf(delivery);
        }

        var endpoint = (await store.ListNotificationEndpointsAsync(tenantId, cancellationToken)).FirstOrDefault(e => e.Id == delivery.EndpointId);
        if (endpoint is not { IsEnabled: true })
        {
            var reason = endpoint is null ? "The endpoint was removed." : $"The endpoint is disabled: {endpoint.DisabledReason}";
            return await RecordAsync(tenantId, deliveryId, attempt, (current, _) => (current.Abandon(reason, clock.GetUtcNow()), null), cancellationToken);
        }

        var template = (await store.ListNotificationTemplatesAsync(tenantId, cancellationToken)).FirstOrDefault(t => t.Event == delivery.Event.Type && t.Channel == endpoint.Channel);
        var message = NotificationMessage.Render(delivery.Event, endpoint.Channel, template);
        var started = clock.GetTimestamp();
        var sentAt = clock.GetUtcNow();
        var result = _channels.TryGetValue(endpoint.Channel, out var channel)
            ? await channel.SendAsync(new NotificationSend(endpoint, delivery.Event, message, sentAt), cancellationToken)
            : ChannelResult.Unreachable($"The {endpoint.Channel.ToString().ToLowerInvariant()} channel is not set up on this host.");
        var duration = (long)clock.GetElapsedTime(started).TotalMilliseconds;
        var now = clock.GetUtcNow();
        var recorded = new DeliveryAttempt(attempt, sentAt, result.Outcome == ChannelOutcome.Delivered, result.StatusCode, result.Reply, duration, result.Error);
        if (!recorded.Succeeded)
        {
            LogAttemptFailed(logger, deliveryId, endpoint.Id, attempt, result.StatusCode, result.Error);
        }

        return await RecordAsync(tenantId, deliveryId, attempt, (current, currentEndpoint) =>
        {
            var next = result.Outcome == ChannelOutcome.Failed ? schedule.NextAttemptAt(current.AttemptsInRun + 1, now, result.RetryAfter) : null;
            var after = current.Record(recorded, next);
            if (currentEndpoint is null)
            {
                return (after, null);
            }

            if (result.Outcome == ChannelOutcome.Delivered)
            {
                return (after, currentEndpoint.RecordSuccess(now));
            }

            var failing = currentEndpoint.RecordFailure(now);
            var disableReason = result.Outcome == ChannelOutcome.Gone ? "It answered 410 Gone."
                : failing.HasBeenFailingFor(options.DisableFailingAfter, now) ? $"Its deliveries have failed since {failing.FailingSince:u} without a success."
                : null;
            return (after, disableReason is null ? failing : failing.Disable(disableReason, now));
        }, cancellationToken);
    }

    /// <summary>Records the attempt unless one with its number was recorded meanwhile; saves the endpoint when it changed, raising endpoint.disabled when it was disabled now.</summary>
    private Task<DeliveryStep> RecordAsync(
        string tenantId, string deliveryId, int attempt,
        Func<NotificationDelivery, NotificationEndpoint?, (NotificationDelivery Delivery, NotificationEndpoint? Endpoint)> record, CancellationToken cancellationToken) =>
        store.TransactAsync(tenantId, async tx =>
        {
            var current = (await tx.FindDeliveryAsync(deliveryId))!;
            if (current.Status != DeliveryStatus.Pending || current.Attempts.Any(a => a.Number >= attempt))
            {
                return StepOf(current);
            }

            var endpoint = (await tx.NotificationEndpointsAsync()).FirstOrDefault(e => e.Id == current.EndpointId);
            var (delivery, changed) = record(current, endpoint);
            tx.Save(delivery);
            if (changed is not null && endpoint is not null && changed != endpoint)
            {
                tx.Save(changed);
                if (endpoint.IsEnabled && !changed.IsEnabled)
                {
                    tx.Raise(NotificationEvents.OfEndpointDisabled(changed, changed.DisabledReason!, changed.UpdatedAt));
                    LogEndpointDisabled(logger, changed.Id, tenantId, changed.DisabledReason!);
                }
            }

            return StepOf(delivery);
        }, cancellationToken);

    private static DeliveryStep StepOf(NotificationDelivery delivery) => new(delivery.Status, delivery.Attempts.Count + 1, delivery.NextAttemptAt);

    [LoggerMessage(Level = LogLevel.Information, EventName = "NotificationAttemptFailed", Message = "Delivery {DeliveryId} to endpoint {EndpointId} failed on attempt {Attempt} ({StatusCode}): {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string deliveryId, string endpointId, int attempt, int? statusCode, string? error);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "NotificationEndpointDisabled", Message = "Notification endpoint {EndpointId} of tenant {TenantId} was disabled: {Reason}")]
    private static partial void LogEndpointDisabled(ILogger logger, string endpointId, string tenantId, string reason);
}
