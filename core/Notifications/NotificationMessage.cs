using System.Text.Json;

namespace Workforce.Core.Notifications;

/// <summary>
/// An event in the form a channel sends: a subject and a summary line, a plain-text and an HTML body (email), and
/// the JSON body (webhooks, the event itself).
/// </summary>
public sealed record NotificationMessage(string Subject, string Text, string? Html, string Json)
{
    /// <summary>An SMS is one segment: 160 characters of the GSM 7-bit alphabet, or 70 when any other character makes it UCS-2; cut with "..." when longer.</summary>
    public const int SmsLength = 160;

    public const int UnicodeSmsLength = 70;

    /// <summary>The GSM 03.38 basic character set, in which a segment holds 160 characters.</summary>
    private const string GsmAlphabet = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The event on the channel, in the tenant's template for it when there is one, else the catalogue's wording.</summary>
    public static NotificationMessage Render(NotificationEvent notification, NotificationChannel channel, NotificationTemplate? custom)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var definition = NotificationEvents.Find(notification.Type);
        var values = TemplateText.ValuesOf(notification);
        var subject = TemplateText.ParseValid(custom?.Subject ?? definition?.Summary ?? notification.Type).Render(values);
        var json = JsonOf(notification);
        return channel switch
        {
            NotificationChannel.Email => EmailOf(TemplateText.ParseValid(custom?.Body ?? definition?.Body ?? notification.Type), subject, values, json),
            NotificationChannel.Sms => new(subject, Shorten(TemplateText.ParseValid(custom?.Body ?? definition?.Summary ?? notification.Type).Render(values)), null, json),
            _ => new(subject, subject, null, json),
        };
    }

    /// <summary>The event in one line, in the catalogue's wording: the live dashboard's notification.</summary>
    public static string SummaryOf(NotificationEvent notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return TemplateText.ParseValid(NotificationEvents.Find(notification.Type)?.Summary ?? notification.Type).Render(TemplateText.ValuesOf(notification));
    }

    /// <summary>The webhook body: the Standard Webhooks payload (<c>type</c>, <c>timestamp</c>, <c>data</c>) with the event's id, level, tenant and sequence.</summary>
    public static string JsonOf(NotificationEvent notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return JsonSerializer.Serialize(new
        {
            id = notification.Id,
            type = notification.Type,
            timestamp = notification.OccurredAt,
            level = notification.Level.ToString().ToLowerInvariant(),
            tenantId = notification.TenantId,
            sequence = notification.Sequence,
            data = notification.Data,
        }, JsonOptions);
    }

    private static NotificationMessage EmailOf(TemplateText body, string subject, IReadOnlyDictionary<string, string> values, string json)
    {
        var paragraphs = body.Render(values, html: true).Split("\n\n").Select(p => $"<p>{p.Replace("\n", "<br>", StringComparison.Ordinal)}</p>");
        var html = $"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>{System.Net.WebUtility.HtmlEncode(subject)}</title></head>
            <body style="font-family: system-ui, sans-serif; color: #1f2328; max-width: 40em">
            {string.Join("\n", paragraphs)}
            <p style="color: #656d76; font-size: smaller">Workforce · {System.Net.WebUtility.HtmlEncode(values["type"])} · {System.Net.WebUtility.HtmlEncode(values["id"])}</p>
            </body></html>
            """;
        return new(subject, body.Render(values), html, json);
    }

    private static string Shorten(string text)
    {
        var limit = text.All(c => GsmAlphabet.Contains(c, StringComparison.Ordinal)) ? SmsLength : UnicodeSmsLength;
        return text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit - 3), "...");
    }
}
