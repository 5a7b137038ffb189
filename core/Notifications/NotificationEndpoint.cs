using System.Security.Cryptography;

namespace Workforce.Core.Notifications;

public enum EndpointStatus
{
    Enabled,
    Disabled,
}

/// <summary>A webhook signing secret; the one before a rotation stays valid until <see cref="ExpiresAt"/>.</summary>
public sealed record EndpointSecret(string Value, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt = null)
{
    /// <summary>The Standard Webhooks form: <c>whsec_</c> and 24 random bytes in base64, the HMAC key.</summary>
    public static EndpointSecret Generate(DateTimeOffset at) => new($"whsec_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))}", at);
}

/// <summary>
/// Where a tenant wants to hear of events: a webhook URL, an email address or a phone number, with the events and
/// the lowest level it wants. An endpoint that answers 410 Gone, or keeps failing, disables itself.
/// </summary>
public sealed record NotificationEndpoint
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required NotificationChannel Channel { get; init; }

    public required string Target { get; init; }

    /// <summary>Event types by name; empty means every event of the catalogue except the opt-in ones (task.completed, notification.test).</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    public NotificationLevel MinLevel { get; init; } = NotificationLevel.Info;

    public string? Description { get; init; }

    /// <summary>Webhooks only: the current secret first, then one being rotated out.</summary>
    public IReadOnlyList<EndpointSecret> Secrets { get; init; } = [];

    public EndpointStatus Status { get; init; } = EndpointStatus.Enabled;

    public string? DisabledReason { get; init; }

    /// <summary>When the current run of failures began; null while deliveries succeed.</summary>
    public DateTimeOffset? FailingSince { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public bool IsEnabled => Status == EndpointStatus.Enabled;

    public static string NewId() => $"nep_{Guid.CreateVersion7():N}";

    /// <summary>
    /// Events the endpoint hears only when it names them: they come with every task (task.completed) or with every
    /// change a tenant makes to its own tasks (task.updated, task.deleted), or are addressed to chosen endpoints.
    /// </summary>
    public static IReadOnlySet<string> OptInEvents { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        NotificationEvents.TaskCompleted, NotificationEvents.TaskUpdated, NotificationEvents.TaskDeleted, NotificationEvents.Test, NotificationEvents.ReportReady, NotificationEvents.ReportFailed,
    };

    public bool Wants(NotificationEvent notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.Recipients is { } recipients)
        {
            return IsEnabled && recipients.Contains(Id, StringComparer.Ordinal);
        }

        if (!IsEnabled || notification.Level < MinLevel)
        {
            return false;
        }

        return Events.Count == 0 ? !OptInEvents.Contains(notification.Type) : Events.Contains(notification.Type, StringComparer.Ordinal);
    }

    /// <summary>The secrets a delivery at <paramref name="at"/> is signed with: the current one, and one rotated out but not yet expired.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset at) =>
        [.. Secrets.Where(s => s.ExpiresAt is null || s.ExpiresAt > at).Select(s => s.Value)];

    /// <summary>A new current secret; the old one is still sent beside it for <paramref name="overlap"/>, so receivers can switch without missing a delivery.</summary>
    public NotificationEndpoint RotateSecret(EndpointSecret next, TimeSpan overlap)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (Channel != NotificationChannel.Webhook)
        {
            throw new InvalidOperationException("Only webhook endpoints have a secret.");
        }

        var previous = Secrets[0] with { ExpiresAt = next.CreatedAt + overlap };
        return this with { Secrets = [next, previous], UpdatedAt = next.CreatedAt };
    }

    public NotificationEndpoint RecordSuccess(DateTimeOffset at) => FailingSince is null ? this : this with { FailingSince = null, UpdatedAt = at };

    public NotificationEndpoint RecordFailure(DateTimeOffset at) => FailingSince is not null ? this : this with { FailingSince = at, UpdatedAt = at };

    public bool HasBeenFailingFor(TimeSpan span, DateTimeOffset at) => FailingSince is { } since && at - since >= span;

    public NotificationEndpoint Disable(string reason, DateTimeOffset at) => this with { Status = EndpointStatus.Disabled, DisabledReason = reason, UpdatedAt = at };
}
