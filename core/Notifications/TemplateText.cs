using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Workforce.Core.Notifications;

/// <summary>
/// The template syntax: text with <c>{{name}}</c> placeholders and nothing else — no expressions, no loops, no
/// code — so a tenant's template can only place the event's own fields. Parsed once; unknown names and stray braces
/// are refused when a template is set.
/// </summary>
public sealed partial class TemplateText
{
    private readonly IReadOnlyList<(string Literal, string? Placeholder)> _parts;

    private TemplateText(IReadOnlyList<(string, string?)> parts) => _parts = parts;

    public IEnumerable<string> Placeholders => _parts.Where(p => p.Placeholder is not null).Select(p => p.Placeholder!);

    /// <returns>The template, or why it is not one.</returns>
    public static (TemplateText? Template, string? Error) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<(string, string?)>();
        var at = 0;
        foreach (Match match in Placeholder().Matches(text))
        {
            var literal = text[at..match.Index];
            if (literal.Contains("{{", StringComparison.Ordinal) || literal.Contains("}}", StringComparison.Ordinal))
            {
                return (null, $"Unbalanced braces before position {match.Index}: a placeholder is {{{{name}}}}, letters only.");
            }

            parts.Add((literal, match.Groups["name"].Value));
            at = match.Index + match.Length;
        }

        var tail = text[at..];
        if (tail.Contains("{{", StringComparison.Ordinal) || tail.Contains("}}", StringComparison.Ordinal))
        {
            return (null, "Unbalanced braces: a placeholder is {{name}}, letters only.");
        }

        parts.Add((tail, null));
        return (new TemplateText(parts), null);
    }

    public static TemplateText ParseValid(string text) => Parse(text) is ({ } template, _) ? template : throw new FormatException($"Not a template: {text}");

    /// <summary>The text with each placeholder replaced by its value (empty when the event has none), HTML-escaped when <paramref name="html"/>.</summary>
    public string Render(IReadOnlyDictionary<string, string> values, bool html = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        var text = new StringBuilder();
        foreach (var (literal, placeholder) in _parts)
        {
            text.Append(html ? WebUtility.HtmlEncode(literal) : literal);
            if (placeholder is not null && values.TryGetValue(placeholder, out var value))
            {
                text.Append(html ? WebUtility.HtmlEncode(value) : value);
            }
        }

        return text.ToString();
    }

    /// <summary>The values an event offers its templates: its envelope and data, formatted invariantly (times in ISO 8601).</summary>
    public static IReadOnlyDictionary<string, string> ValuesOf(NotificationEvent notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = notification.Id,
            ["type"] = notification.Type,
            ["level"] = notification.Level.ToString().ToLowerInvariant(),
            ["tenantId"] = notification.TenantId,
            ["sequence"] = notification.Sequence.ToString(CultureInfo.InvariantCulture),
            ["occurredAt"] = notification.OccurredAt.ToString("O", CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in notification.Data)
        {
            values[name] = value switch
            {
                null => "",
                DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
        }

        return values;
    }

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z]+)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
