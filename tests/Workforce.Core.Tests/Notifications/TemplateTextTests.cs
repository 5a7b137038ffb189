using Workforce.Core.Notifications;

namespace Workforce.Core.Tests.Notifications;

public sealed class TemplateTextTests
{
    [Fact]
    public void Placeholders_are_replaced_by_the_event_values_and_unknown_ones_by_nothing()
    {
        var template = TemplateText.ParseValid("Task {{taskType}} failed: {{ error }}{{nothing}}.");

        var text = template.Render(new Dictionary<string, string> { ["taskType"] = "translate", ["error"] = "timeout" });

        Assert.Equal("Task translate failed: timeout.", text);
    }

    [Fact]
    public void Values_rendered_into_html_are_escaped_so_tenant_data_cannot_inject_markup()
    {
        var template = TemplateText.ParseValid("<b>{{error}}</b>");

        var html = template.Render(new Dictionary<string, string> { ["error"] = "<script>alert(1)</script>" }, html: true);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{unclosed")]
    [InlineData("stray }} brace")]
    [InlineData("{{ a.b }}")]
    [InlineData("{{#each items}}x{{/each}}")]
    public void Anything_but_plain_placeholders_is_refused(string text)
    {
        var (template, error) = TemplateText.Parse(text);

        Assert.Null(template);
        Assert.Contains("braces", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_offers_its_envelope_and_data_formatted_invariantly()
    {
        var at = new DateTimeOffset(2026, 12, 3, 9, 30, 0, TimeSpan.Zero);
        var notification = new NotificationEvent("evt_1", NotificationEvents.QuotaWarning, NotificationLevel.Warning, "acme", at,
            new Dictionary<string, object?> { ["percent"] = 80, ["used"] = 800L, ["periodStart"] = at, ["meter"] = null }) { Sequence = 12 };

        var values = TemplateText.ValuesOf(notification);

        Assert.Equal(("80", "800", "2026-12-03T09:30:00.0000000+00:00", "", "12", "warning"),
            (values["percent"], values["used"], values["periodStart"], values["meter"], values["sequence"], values["level"]));
    }
}
