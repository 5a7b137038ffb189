using Workforce.Core.Notifications;
using Workforce.Core.Reports;

namespace Workforce.Core.Tests.Notifications;

public sealed class AddressedEventTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    private static readonly Report Ready = new()
    {
        Id = "rpt_abc_20260302060000", TenantId = "acme", Type = ReportType.AgentActivity, Format = ReportFormat.Pdf,
        From = At.AddDays(-1), To = At, Status = ReportStatus.Ready, ScheduleId = "rsc_abc",
    };

    [Fact]
    public void An_addressed_event_reaches_only_the_enabled_endpoints_it_names_whatever_they_subscribe_to()
    {
        var notification = NotificationEvents.OfReportReady(Ready, new Uri("https://files.example/r"), At.AddHours(1), At) with { Recipients = ["nep_a", "nep_off"] };

        Assert.True(Endpoint("nep_a", events: [NotificationEvents.TaskFailed], minLevel: NotificationLevel.Critical).Wants(notification));
        Assert.False(Endpoint("nep_b").Wants(notification));
        Assert.False((Endpoint("nep_off") with { Status = EndpointStatus.Disabled }).Wants(notification));
    }

    [Fact]
    public void A_report_event_is_never_heard_by_an_endpoint_that_was_not_addressed()
    {
        var unaddressed = NotificationEvents.OfReportReady(Ready, new Uri("https://files.example/r"), At.AddHours(1), At);

        Assert.False(Endpoint("nep_b").Wants(unaddressed));
    }

    [Fact]
    public void A_reports_event_id_comes_from_the_report_and_carries_its_link_and_expiry()
    {
        var first = NotificationEvents.OfReportReady(Ready, new Uri("https://files.example/r"), At.AddHours(1), At);
        var again = NotificationEvents.OfReportReady(Ready, new Uri("https://files.example/other"), At.AddHours(2), At.AddMinutes(5));

        Assert.Equal("evt_abc_20260302060000", first.Id);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal("agentActivity", first.Data["reportType"]);
        Assert.Equal("https://files.example/r", first.Data["downloadUrl"]);
        Assert.Equal(At.AddHours(1), first.Data["expiresAt"]);
        Assert.Contains("https://files.example/r", NotificationMessage.SummaryOf(first), StringComparison.Ordinal);
    }

    private static NotificationEndpoint Endpoint(string id, IReadOnlyList<string>? events = null, NotificationLevel minLevel = NotificationLevel.Info) => new()
    {
        Id = id, TenantId = "acme", Channel = NotificationChannel.Webhook, Target = "https://hooks.example/x", Events = events ?? [], MinLevel = minLevel,
    };
}
