using Workforce.Core.Storage;

namespace Workforce.Core.Notifications;

public sealed record SetNotificationTemplateCommand(string? Subject, string? Body);

/// <summary>
/// Sets, or removes, the tenant's own wording of an event on the email or SMS channel. Templates are checked when
/// set: the syntax, and that every placeholder is a field of the event, so a delivery never renders a broken one.
/// </summary>
public sealed class SetNotificationTemplate(IWorkforceStore store, TimeProvider clock)
{
    public const int MaxSubjectLength = 200;
    public const int MaxBodyLength = 10_000;

    public async Task<Outcome<NotificationTemplate>> ExecuteAsync(Caller caller, string eventType, NotificationChannel channel, SetNotificationTemplateCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (Refusal(caller, eventType, channel) is { } refused)
        {
            return refused;
        }

        var definition = NotificationEvents.Definition(eventType);
        var errors = new FieldErrors();
        Check(errors, "body", command.Body, MaxBodyLength, definition, required: true);
        if (channel == NotificationChannel.Email)
        {
            Check(errors, "subject", command.Subject, MaxSubjectLength, definition, required: false);
        }
        else
        {
            errors.Require(command.Subject is null, "subject", "An SMS has no subject; give only a body.");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var template = new NotificationTemplate(caller.TenantId, eventType, channel, command.Subject, command.Body!, clock.GetUtcNow());
        await store.TransactAsync(caller.TenantId, tx =>
        {
            tx.Save(template);
            return ValueTask.FromResult(true);
        }, cancellationToken);
        return template;
    }

    /// <returns>The template that was removed; the catalogue's wording applies again.</returns>
    public async Task<Outcome<NotificationTemplate>> RemoveAsync(Caller caller, string eventType, NotificationChannel channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (Refusal(caller, eventType, channel) is { } refused)
        {
            return refused;
        }

        return await store.TransactAsync<Outcome<NotificationTemplate>>(caller.TenantId, async tx =>
        {
            if ((await tx.NotificationTemplatesAsync()).FirstOrDefault(t => t.Event == eventType && t.Channel == channel) is not { } template)
            {
                return Failure.NotFound($"A {channel.ToString().ToLowerInvariant()} template of {eventType}");
            }

            tx.Remove(template);
            return template;
        }, cancellationToken);
    }

    private static Failure? Refusal(Caller caller, string eventType, NotificationChannel channel) =>
        caller.IsAgent ? Failures.AgentKeyNotAllowed
        : NotificationEvents.Find(eventType) is null ? Failure.NotFound($"The event {eventType}")
        : channel == NotificationChannel.Webhook ? Failure.Invalid("channel", "Webhooks are not templated: their body is the event's JSON. Template email or sms.")
        : null;

    private static void Check(FieldErrors errors, string field, string? text, int maxLength, EventDefinition definition, bool required)
    {
        if (string.IsNullOrEmpty(text))
        {
            errors.Require(!required, field, "Give the template text.");
            return;
        }

        if (text.Length > maxLength)
        {
            errors.Add(field, $"At most {maxLength} characters.");
            return;
        }

        var (template, error) = TemplateText.Parse(text);
        if (template is null)
        {
            errors.Add(field, error!);
            return;
        }

        var unknown = template.Placeholders.Except(definition.Placeholders, StringComparer.Ordinal).ToList();
        errors.Require(unknown.Count == 0, field, $"{string.Join(", ", unknown.Select(u => "{{" + u + "}}"))} is no field of {definition.Type}; use {string.Join(", ", definition.Placeholders)}.");
    }
}
