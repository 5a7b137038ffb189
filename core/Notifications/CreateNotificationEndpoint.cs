using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

public sealed record CreateNotificationEndpointCommand(
    NotificationChannel? Channel, string? Target, IReadOnlyList<string>? Events = null, NotificationLevel? MinLevel = null, string? Description = null);

/// <summary>Adds a notification endpoint to the tenant. A webhook endpoint gets its signing secret, shown to the caller only in this answer.</summary>
public sealed class CreateNotificationEndpoint(IWorkforceStore store, NotificationOptions options, NotificationInterest interest, TimeProvider clock)
{
    public const int MaxDescriptionLength = 200;

    public async Task<Outcome<NotificationEndpoint>> ExecuteAsync(Caller caller, CreateNotificationEndpointCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        var errors = new FieldErrors();
        errors.Require(command.Channel is not null, "channel", "Give the channel: webhook, email or sms.");
        errors.Require(!string.IsNullOrWhiteSpace(command.Target), "target", "Give the target: a URL, an email address or a phone number.");
        if (command.Channel is { } channel && !string.IsNullOrWhiteSpace(command.Target) && EndpointTargets.Refusal(channel, command.Target.Trim(), options) is { } refusal)
        {
            errors.Add("target", refusal);
        }

        foreach (var name in command.Events ?? [])
        {
            errors.Require(NotificationEvents.Find(name) is not null, "events", $"'{name}' is no event; use the names of GET /api/v1/notifications/events.");
        }

        errors.Require(command.Description is not { Length: > MaxDescriptionLength }, "description", $"At most {MaxDescriptionLength} characters.");
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var now = clock.GetUtcNow();
        var endpoint = new NotificationEndpoint
        {
            Id = NotificationEndpoint.NewId(),
            TenantId = caller.TenantId,
            Channel = command.Channel!.Value,
            Target = command.Target!.Trim(),
            Events = [.. (command.Events ?? []).Distinct(StringComparer.Ordinal)],
            MinLevel = command.MinLevel ?? NotificationLevel.Info,
            Description = command.Description,
            Secrets = command.Channel == NotificationChannel.Webhook ? [EndpointSecret.Generate(now)] : [],
            CreatedAt = now,
            UpdatedAt = now,
        };
        var outcome = await store.TransactAsync<Outcome<NotificationEndpoint>>(caller.TenantId, async tx =>
        {
            if ((await tx.NotificationEndpointsAsync()).Count >= options.MaxEndpointsPerTenant)
            {
                return Failure.Conflict($"The tenant has {options.MaxEndpointsPerTenant} notification endpoints, the most it may have; remove one first.");
            }

            tx.Save(endpoint);
            return endpoint;
        }, cancellationToken);
        interest.Forget(caller.TenantId);
        return outcome;
    }
}
