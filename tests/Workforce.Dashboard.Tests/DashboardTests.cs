using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Workforce.Testing;
using Workforce.Testing.Webhooks;
using static Microsoft.Playwright.Assertions;

namespace Workforce.Dashboard.Tests;

/// <summary>
/// The dashboard as an operator uses it: the real server process, a real headless Chromium, and work that arrives
/// through the API while the page is open. Everything must show up live, without a reload.
/// </summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private const string TenantKey = "dashboard-test-key";
    private const string AdminKey = "dashboard-test-admin-key";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-dashboard-tests", Guid.NewGuid().ToString("N"));
    // Started by each test, some with settings of their own.
    private ServerProcess _server = null!;
    private BrowserSession _browser = null!;
    private HttpClient _api = null!;

    public async ValueTask InitializeAsync()
    {
        SetDefaultExpectTimeout(15_000);
        _browser = await BrowserSession.LaunchAsync();
    }

    [Fact]
    public async Task An_operator_signs_in_and_watches_agents_and_tasks_arrive_live()
    {
        await StartServerAsync();
        var page = await _browser.NewPageAsync(1280, 1000);
        await page.GotoAsync(_server.Address.ToString());

        await page.GetByLabel("Tenant API key").FillAsync("wrong-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");

        await page.GetByLabel("Tenant API key").FillAsync(TenantKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Live");
        await Expect(page.Locator("#usage-summary")).ToContainTextAsync("Free plan");
        await Expect(page.Locator("#usage-summary")).ToContainTextAsync("days left");
        await Expect(page.Locator("#usage-gauges .gauge")).ToHaveCountAsync(4);
        await Expect(page.Locator(".gauge[data-meter=tasks]")).ToContainTextAsync("of 1,000");
        // Survives only as long as the page is not reloaded.
        await page.EvaluateAsync("window.__sameDocument = true");

        var agent = await PostAsync("/api/v1/agents", new { name = "translator-1", capabilities = new[] { "translate", "de" }, capacity = 2 });
        using var agentApi = _server.CreateClient(agent["agentKey"]!.GetValue<string>());
        var agentId = agent["id"]!.GetValue<string>();
        var card = page.Locator($"#agent-{agentId}");
        await Expect(card).ToContainTextAsync("translator-1");
        await Expect(card).ToContainTextAsync("translate");
        await Expect(card).ToContainTextAsync("0 / 2 active");

        var doomed = await PostAsync("/api/v1/tasks", new { type = "translate-doc", priority = "critical", maxRetries = 0, requiredCapabilities = new[] { "translate" } });
        await PostAsync("/api/v1/tasks", new { type = "summarize", priority = "low" });
        await PostAsync("/api/v1/tasks", new { type = "summarize", priority = "low" });
        var rows = page.Locator("#task-table tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-figure=critical]")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-figure=low]")).ToHaveTextAsync("2");

        await agentApi.PutAsJsonAsync($"/api/v1/agents/{agentId}/metrics", new { cpuPercent = 37, memoryMb = 1500, threadCount = 12 });
        await agentApi.PostAsJsonAsync($"/api/v1/agents/{agentId}/heartbeat", new { cpuPercent = 64, memoryMb = 1700, threadCount = 12 });
        await Expect(card).ToContainTextAsync("64 %");
        await Expect(card).ToContainTextAsync("1700 MB");

        var leased = await ReadAsync(await agentApi.PostAsync(new Uri($"/api/v1/agents/{agentId}/lease", UriKind.Relative), null));
        Assert.Equal(doomed["id"]!.GetValue<string>(), leased["id"]!.GetValue<string>());
        await Expect(card).ToContainTextAsync("1 / 2 active");
        await agentApi.PostAsJsonAsync($"/api/v1/tasks/{leased["id"]}/fail", new { error = "glossary missing", retryable = false });

        var failedRow = rows.Filter(new() { HasText = "translate-doc" });
        await Expect(failedRow).ToContainTextAsync("failed");
        await Expect(failedRow).ToContainTextAsync("translator-1");
        await Expect(page.Locator("#notification-list")).ToContainTextAsync("glossary missing");
        await Expect(page.Locator("[data-figure=critical]")).ToHaveTextAsync("0");
        await Expect(card).ToContainTextAsync("0 / 2 active");

        var path = await ScreenshotAsync(page, "dashboard.png");

        await failedRow.GetByRole(AriaRole.Button).ClickAsync();
        var detail = page.GetByRole(AriaRole.Dialog);
        await Expect(detail).ToContainTextAsync("Error: glossary missing");
        await Expect(detail.Locator("#task-history li")).ToHaveCountAsync(3);
        await Expect(detail.GetByRole(AriaRole.Button, new() { Name = "Cancel task" })).ToBeHiddenAsync();
        await ScreenshotAsync(page, "dashboard-task-detail.png");
        await detail.GetByRole(AriaRole.Button, new() { Name = "Retry as a new task" }).ClickAsync();
        await Expect(detail.Locator("#task-history li")).ToHaveCountAsync(1);
        await Expect(detail.GetByRole(AriaRole.Button, new() { Name = "Cancel task" })).ToBeVisibleAsync();
        await detail.GetByRole(AriaRole.Button, new() { Name = $"Open task {doomed["id"]}, which this task retries" }).ClickAsync();
        await Expect(detail.Locator("#task-history li")).ToHaveCountAsync(3);
        await detail.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(4);
        await Expect(page.Locator("[data-figure=critical]")).ToHaveTextAsync("1");

        // A second retry of the same task, say by a second operator, shows the copy already made.
        await failedRow.Filter(new() { HasText = "failed" }).GetByRole(AriaRole.Button).ClickAsync();
        await detail.GetByRole(AriaRole.Button, new() { Name = "Retry as a new task" }).ClickAsync();
        await Expect(detail.Locator("#task-history li")).ToHaveCountAsync(1);
        await detail.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        Assert.Equal(4, (await ReadAsync(await _api.GetAsync(new Uri("/api/v1/tasks", UriKind.Relative))))["items"]!.AsArray().Count);

        await card.GetByRole(AriaRole.Button, new() { Name = "Drain agent translator-1" }).ClickAsync();
        await Expect(card).ToContainTextAsync("draining");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Resume agent translator-1" })).ToBeVisibleAsync();
        var drainedLease = await agentApi.PostAsync(new Uri($"/api/v1/agents/{agentId}/lease", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NoContent, drainedLease.StatusCode);

        await page.GetByLabel("State").SelectOptionAsync("pending");
        await Expect(rows).ToHaveCountAsync(3);
        await rows.First.GetByRole(AriaRole.Button).ClickAsync();
        await detail.GetByRole(AriaRole.Button, new() { Name = "Cancel task" }).ClickAsync();
        await Expect(detail).ToContainTextAsync("cancelled");
        await detail.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);

        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "The page reloaded.");
        TestContext.Current.TestOutputHelper?.WriteLine($"Dashboard screenshot: {path}");
    }

    [Fact]
    public async Task A_patched_task_changes_its_row_and_a_deleted_one_leaves_the_table_and_the_counts_live()
    {
        await StartServerAsync();
        var page = await SignInAsync();
        var edited = await PostAsync("/api/v1/tasks", new { type = "edited", priority = "low" });
        var kept = await PostAsync("/api/v1/tasks", new { type = "kept", priority = "low" });
        var rows = page.Locator("#task-table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-figure=low]")).ToHaveTextAsync("2");
        await page.EvaluateAsync("window.__sameDocument = true");

        using var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri($"/api/v1/tasks/{edited["id"]}", UriKind.Relative))
        {
            Content = JsonContent.Create(new { priority = "critical" }),
        };
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(patch)).StatusCode);
        var editedRow = rows.Filter(new() { HasText = "edited" });
        await Expect(editedRow).ToContainTextAsync("critical");
        await Expect(page.Locator("[data-figure=critical]")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-figure=low]")).ToHaveTextAsync("1");

        // Its detail is open when it goes: the dialog closes with the row.
        await editedRow.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync(new Uri($"/api/v1/tasks/{edited["id"]}", UriKind.Relative))).StatusCode);
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("kept");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await Expect(page.Locator("[data-figure=critical]")).ToHaveTextAsync("0");
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync(new Uri($"/api/v1/tasks/{kept["id"]}", UriKind.Relative))).StatusCode);
        await Expect(rows).ToHaveCountAsync(0);
        await Expect(page.Locator("#tasks-empty")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-figure=low]")).ToHaveTextAsync("0");

        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "The page reloaded.");
    }

    [Fact]
    public async Task The_dashboard_fits_a_phone_and_says_when_it_is_reconnecting()
    {
        await StartServerAsync();
        var page = await _browser.NewPageAsync(390, 844);
        await page.GotoAsync(_server.Address.ToString());
        await page.GetByLabel("Tenant API key").FillAsync(TenantKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Live");
        await PostAsync("/api/v1/agents", new { name = "pocket-agent", capabilities = new[] { "ocr" } });
        await Expect(page.Locator("#agent-cards")).ToContainTextAsync("pocket-agent");

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            "The page scrolls sideways at phone width.");
        await ScreenshotAsync(page, "dashboard-phone.png");

        await _server.KillAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Reconnecting…");
    }

    [Fact]
    public async Task Throughput_and_failure_rate_add_up_the_latest_stats_of_each_server_still_sending()
    {
        await StartServerAsync();
        var page = await _browser.NewPageAsync(1280, 1000);
        // The hub connection passes through the test, which adds a second server's queueStats to it, as Azure
        // SignalR Service delivers every server's group sends to one connection.
        IWebSocketRoute? hub = null;
        await page.RouteWebSocketAsync("**/api/hubs/workforce**", route =>
        {
            route.ConnectToServer();
            hub = route;
        });
        await SignInAsync(page);

        var agent = await PostAsync("/api/v1/agents", new { name = "counter", capabilities = new[] { "count" } });
        using var agentApi = _server.CreateClient(agent["agentKey"]!.GetValue<string>());
        var agentId = agent["id"]!.GetValue<string>();
        await PostAsync("/api/v1/tasks", new { type = "count", maxRetries = 0 });
        await PostAsync("/api/v1/tasks", new { type = "count", maxRetries = 0 });
        var completed = await ReadAsync(await agentApi.PostAsync(new Uri($"/api/v1/agents/{agentId}/lease", UriKind.Relative), null));
        await ReadAsync(await agentApi.PostAsJsonAsync($"/api/v1/tasks/{completed["id"]}/complete", new { result = "ok" }));
        var failed = await ReadAsync(await agentApi.PostAsync(new Uri($"/api/v1/agents/{agentId}/lease", UriKind.Relative), null));
        await ReadAsync(await agentApi.PostAsJsonAsync($"/api/v1/tasks/{failed["id"]}/fail", new { error = "miscounted", retryable = false }));
        var throughput = page.Locator("[data-figure=throughput]");
        var failureRate = page.Locator("[data-figure=failureRate]");
        await Expect(throughput).ToHaveTextAsync("1");
        await Expect(failureRate).ToHaveTextAsync("50.0 %");

        hub!.Send(QueueStatsFrame(server: "second-server", completedPerMinute: 3));
        await Expect(throughput).ToHaveTextAsync("4");
        await Expect(failureRate).ToHaveTextAsync("20.0 %");

        // The second server sends no more; once its stats are stale, the figures are this server's alone again.
        await Expect(throughput).ToHaveTextAsync("1");
        await Expect(failureRate).ToHaveTextAsync("50.0 %");
    }

    [Fact]
    public async Task The_billing_panel_shows_a_new_tenant_on_free_with_its_first_invoice_still_to_come()
    {
        await StartServerAsync();
        var subscription = await ReadAsync(await _api.GetAsync(new Uri("/api/v1/subscription", UriKind.Relative)));
        var page = await SignInAsync();

        var billing = page.GetByRole(AriaRole.Region, new() { Name = "Billing" });
        var fields = billing.Locator("#billing-fields > div");
        await Expect(fields.Filter(new() { HasText = "Plan" })).ToContainTextAsync("Free");
        await Expect(fields.Filter(new() { HasText = "Status" })).ToContainTextAsync("active");
        var periodEnd = await page.EvaluateAsync<string>("iso => new Date(iso).toLocaleDateString()", subscription["periodEnd"]!.GetValue<string>());
        await Expect(fields.Filter(new() { HasText = "Next invoice" })).ToContainTextAsync(periodEnd);
        await Expect(billing.Locator("#billing-standing")).ToContainTextAsync("In good standing");
        await Expect(billing.GetByText("No invoices yet")).ToBeVisibleAsync();
        await Expect(billing.GetByRole(AriaRole.Table, new() { Name = "Invoices, one per closed billing period, newest first" }).Locator("tbody tr")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_billing_panel_lists_the_invoice_issued_when_a_period_closes()
    {
        // Five-second periods closed with no grace: the billing cycle issues an invoice every few seconds.
        await StartServerAsync(new Dictionary<string, string>
        {
            ["Workforce__Billing__PeriodLength"] = "00:00:05",
            ["Workforce__Billing__GracePeriod"] = "00:00:00",
        });
        var page = await SignInAsync();

        var billing = page.GetByRole(AriaRole.Region, new() { Name = "Billing" });
        var newest = billing.Locator("#invoice-table tbody tr").First;
        // The first invoice may be issued after sign-in; the panel shows it at its next refresh, every 15 s.
        await Expect(newest).ToContainTextAsync("not charged", new() { Timeout = 40_000 });
        await Expect(newest).ToContainTextAsync("$0.00");
        await Expect(billing.GetByText("No invoices yet")).ToBeHiddenAsync();
        await ScreenshotAsync(page, "dashboard-billing.png");
    }

    [Fact]
    public async Task A_suspended_tenant_still_signs_in_and_sees_why_its_work_is_refused()
    {
        await StartServerAsync(new Dictionary<string, string> { ["WORKFORCE_ADMIN_KEY"] = AdminKey });
        using var admin = _server.CreateClient(AdminKey);
        await ReadAsync(await admin.PutAsJsonAsync("/api/v1/tenants/default/subscription", new { status = "suspended" }));

        var page = await SignInAsync();

        var billing = page.GetByRole(AriaRole.Region, new() { Name = "Billing" });
        await Expect(billing.Locator("#billing-fields > div").Filter(new() { HasText = "Status" })).ToContainTextAsync("suspended");
        await Expect(billing.Locator("#billing-standing")).ToContainTextAsync("refused until the open invoice is paid");
        // The agent and task lists are metered and refused; the dashboard says so instead of refusing the sign-in.
        await Expect(page.Locator("#notification-list")).ToContainTextAsync("suspended");
    }

    [Fact]
    public async Task A_webhook_delivery_that_failed_for_good_shows_its_answer_and_a_retry_from_the_panel_delivers_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await StartServerAsync(NotificationSettings);
        var endpoint = await CreateWebhookAsync(receiver);
        // The first attempt and the one retry of the short schedule.
        receiver.AnswerNext(500, times: 2);
        var page = await SignInAsync();

        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Notifications" });
        var endpointRow = panel.Locator($"#endpoint-table tr[data-endpoint='{endpoint["id"]}']");
        await Expect(endpointRow).ToContainTextAsync("webhook");
        await Expect(endpointRow).ToContainTextAsync(receiver.Url.AbsoluteUri);
        await Expect(endpointRow.Locator(".badge")).ToHaveTextAsync("enabled");
        await endpointRow.GetByRole(AriaRole.Button, new() { Name = $"Send a test to {receiver.Url.AbsoluteUri}" }).ClickAsync();

        await panel.GetByLabel("Delivery status").SelectOptionAsync("failed");
        var deliveries = panel.GetByRole(AriaRole.Table, new() { Name = "Deliveries: the latest 50 matching the filter, newest first, read every 15 seconds" });
        var failed = deliveries.Locator("tbody tr");
        await Expect(failed).ToHaveCountAsync(1, new() { Timeout = 40_000 });
        await Expect(failed).ToContainTextAsync("notification.test");
        await Expect(failed.Locator(".badge")).ToHaveTextAsync("failed");
        await Expect(failed.Locator("td").Nth(3)).ToHaveTextAsync("2");
        await Expect(failed.Locator(".last-attempt")).ToContainTextAsync("500 The endpoint answered 500 Internal Server Error.");
        await Expect(endpointRow).ToContainTextAsync("since");
        await ScreenshotAsync(page, "dashboard-notifications.png");

        await failed.GetByRole(AriaRole.Button, new() { Name = $"Retry the notification.test delivery to {receiver.Url.AbsoluteUri}" }).ClickAsync();
        await panel.GetByLabel("Delivery status").SelectOptionAsync("succeeded");
        var succeeded = deliveries.Locator("tbody tr");
        await Expect(succeeded).ToHaveCountAsync(1, new() { Timeout = 40_000 });
        await Expect(succeeded.Locator(".badge")).ToHaveTextAsync("succeeded");
        await Expect(succeeded.Locator("td").Nth(3)).ToHaveTextAsync("3 (resent 1×)");
        await Expect(succeeded.Locator(".last-attempt")).ToContainTextAsync("204");
        await Expect(succeeded.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(endpointRow.Locator("td").Nth(4)).ToHaveTextAsync("—", new() { Timeout = 40_000 });

        var received = receiver.Received;
        Assert.Equal(3, received.Count);
        Assert.All(received, r => Assert.True(r.Verified));
        Assert.Single(received.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task An_endpoint_that_answers_gone_shows_as_disabled_with_its_reason_and_the_event_in_the_log()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await StartServerAsync(NotificationSettings);
        var endpoint = await CreateWebhookAsync(receiver);
        receiver.AnswerNext(410);
        var page = await SignInAsync();

        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Notifications" });
        var endpointRow = panel.Locator($"#endpoint-table tr[data-endpoint='{endpoint["id"]}']");
        await endpointRow.GetByRole(AriaRole.Button, new() { Name = $"Send a test to {receiver.Url.AbsoluteUri}" }).ClickAsync();

        await Expect(endpointRow.Locator(".badge")).ToHaveTextAsync("disabled", new() { Timeout = 40_000 });
        await Expect(endpointRow).ToContainTextAsync("It answered 410 Gone.");
        await Expect(endpointRow.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        var delivery = panel.Locator("#delivery-table tbody tr").Filter(new() { HasText = "notification.test" });
        await Expect(delivery.Locator(".last-attempt")).ToContainTextAsync("410");
        await Expect(delivery.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        // The endpoint.disabled event goes to the live channel as well, with its type.
        await Expect(page.Locator("#notification-list .event-type").Filter(new() { HasText = "endpoint.disabled" })).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "dashboard-notifications-disabled.png");
    }

    [Fact]
    public async Task The_history_view_draws_the_served_history_for_each_range_and_says_when_there_is_none()
    {
        // Analytics written every second instead of every ten, so the history is there within the test's time.
        await StartServerAsync(new Dictionary<string, string> { ["Workforce__Analytics__FlushInterval"] = "00:00:01" });
        var page = await SignInAsync();
        var history = page.GetByRole(AriaRole.Region, new() { Name = "History" });
        await Expect(history.GetByText("No history yet")).ToBeVisibleAsync();
        await Expect(history.Locator("#history-charts")).ToBeHiddenAsync();

        var agent = await PostAsync("/api/v1/agents", new { name = "historian", capabilities = new[] { "count" }, capacity = 2 });
        using var agentApi = _server.CreateClient(agent["agentKey"]!.GetValue<string>());
        var agentId = agent["id"]!.GetValue<string>();
        for (var i = 0; i < 4; i++)
        {
            await PostAsync("/api/v1/tasks", new { type = "count", maxRetries = 0 });
        }

        foreach (var outcome in new[] { "complete", "complete", "fail" })
        {
            var leased = await ReadAsync(await agentApi.PostAsync(new Uri($"/api/v1/agents/{agentId}/lease", UriKind.Relative), null));
            // Run time is measured from the start of the attempt.
            await ReadAsync(await agentApi.PostAsync(new Uri($"/api/v1/tasks/{leased["id"]}/start", UriKind.Relative), null));
            await ReadAsync(await agentApi.PostAsJsonAsync($"/api/v1/tasks/{leased["id"]}/{outcome}", outcome == "fail" ? new { error = "miscounted", retryable = false } : new { result = "ok" } as object));
        }

        var served = await HistoryOnceFlushedAsync("1h", submitted: 4, completed: 2, failed: 1);
        await history.GetByRole(AriaRole.Button, new() { Name = "1 hour" }).ClickAsync();
        await Expect(history.GetByRole(AriaRole.Button, new() { Name = "1 hour" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(history.GetByRole(AriaRole.Button, new() { Name = "24 hours" })).ToHaveAttributeAsync("aria-pressed", "false");
        await ExpectFiguresAsync(history, served);
        await Expect(history.GetByText("No history yet")).ToBeHiddenAsync();
        await Expect(history.Locator("#history-span")).ToContainTextAsync("Last hour, in steps of a minute");
        await ExpectDrawnAsync(page, "history-throughput", "#1d6fb8");
        // p95 has data only in the minutes the tasks ran: drawn only if the served values reached the chart.
        await ExpectDrawnAsync(page, "history-run-time", "#8a5300");
        await ExpectDrawnAsync(page, "history-schedule-to-start", "#8a5300");
        await ScreenshotAsync(page, "dashboard-history.png");

        foreach (var (button, range, span) in new[] { ("24 hours", "24h", "in steps of 10 minutes"), ("7 days", "7d", "in steps of an hour") })
        {
            await history.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
            await Expect(history.Locator("#history-span")).ToContainTextAsync(span);
            await ExpectFiguresAsync(history, await HistoryOnceFlushedAsync(range, submitted: 4, completed: 2, failed: 1));
        }

        // A refusal shows the problem's detail, and the figures of the last answer stay.
        await page.RouteAsync(new System.Text.RegularExpressions.Regex(@"/api/v1/visualizations\?range=30d$"), route => route.FulfillAsync(new()
        {
            Status = 429,
            ContentType = "application/problem+json",
            Body = """{"title":"Too many requests","status":429,"detail":"The API-call quota of this period is used up."}""",
        }));
        await history.GetByRole(AriaRole.Button, new() { Name = "30 days" }).ClickAsync();
        await Expect(history.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Could not read the history: The API-call quota of this period is used up.");
        await Expect(history.Locator("[data-figure=submitted]")).ToHaveTextAsync("4");

        await page.SetViewportSizeAsync(390, 844);
        // The charts are sized again when the page narrows.
        await UntilAsync(page, "() => document.querySelector('#history-throughput .uplot').offsetWidth <= 390 - 2 * 8", null, "The chart kept its desktop width.");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            "The history view scrolls sideways at phone width.");
        await history.ScreenshotAsync(new() { Path = Path.Combine(ServerProcess.RepositoryRoot(), "artifacts", "screenshots", "dashboard-history-phone.png") });
    }

    [Fact]
    public async Task The_forecast_panel_draws_the_served_forecast_after_the_observed_hours_with_its_anomalies_and_advice()
    {
        // Real completions in the 7-day history; the three forecasting reads are served by the test, since a model
        // needs 1,000 hours of history that a browser test cannot make.
        await StartServerAsync(new Dictionary<string, string> { ["Workforce__Analytics__FlushInterval"] = "00:00:01" });
        var agent = await PostAsync("/api/v1/agents", new { name = "forecaster", capabilities = new[] { "count" }, capacity = 2 });
        using var agentApi = _server.CreateClient(agent["agentKey"]!.GetValue<string>());
        var agentId = agent["id"]!.GetValue<string>();
        for (var i = 0; i < 2; i++)
        {
            await PostAsync("/api/v1/tasks", new { type = "count", maxRetries = 0 });
            var leased = await ReadAsync(await agentApi.PostAsync(new Uri($"/api/v1/agents/{agentId}/lease", UriKind.Relative), null));
            await ReadAsync(await agentApi.PostAsJsonAsync($"/api/v1/tasks/{leased["id"]}/complete", new { result = "ok" }));
        }

        await HistoryOnceFlushedAsync("7d", submitted: 2, completed: 2, failed: 0);
        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var served = new ServedForecasting(hour);

        var page = await _browser.NewPageAsync(1280, 1000);
        await ServeForecastingAsync(page, Json(served.Forecast("holtWinters", confident: true)), Json(served.Anomalies), Json(served.Recommendations));
        await SignInAsync(page);

        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Forecast" });
        await Expect(panel.Locator("#forecast-model")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            @"^Holt-Winters \(daily and weekly seasons\), model version 3, made .+\. 85 % interval; confident$"));
        await Expect(panel.GetByText("No forecast yet")).ToBeHiddenAsync();
        await Expect(panel.GetByRole(AriaRole.Alert)).ToHaveTextAsync("");
        await ExpectDrawnAsync(page, "forecast-chart", BandColour);
        await ExpectDrawnAsync(page, "forecast-chart", ForecastColour);
        // The served anomaly of completions, and the real completions of this hour.
        await ExpectDrawnAsync(page, "forecast-chart", "#b3261e");
        await ExpectDrawnAsync(page, "forecast-chart", "#1d6fb8");

        var anomalies = panel.GetByRole(AriaRole.Table, new() { Name = "Anomalies" }).Locator("tbody tr");
        await Expect(anomalies).ToHaveCountAsync(3);
        var expectedAnomalies = new[]
        {
            ("Completions", served.Anomaly(0), "41 vs 12.5 expected", "7.9"),
            ("Schedule-to-start p95 (gpu, translate)", served.Anomaly(1), "1.6 min vs 2.35 s expected", "6.2"),
            ("Error rate", served.Anomaly(2), "38.5 % vs 2.1 % expected", "12.3"),
        };
        for (var i = 0; i < expectedAnomalies.Length; i++)
        {
            var (series, at, values, score) = expectedAnomalies[i];
            var cells = anomalies.Nth(i).Locator("td");
            await Expect(cells.Nth(0)).ToHaveTextAsync(series);
            await Expect(cells.Nth(1).Locator("time")).ToHaveAttributeAsync("datetime", at);
            await Expect(cells.Nth(2)).ToHaveTextAsync(values);
            await Expect(cells.Nth(3)).ToHaveTextAsync(score);
        }

        var advice = panel.GetByRole(AriaRole.Table, new() { Name = "Scaling advice" }).Locator("tbody tr");
        await Expect(advice).ToHaveCountAsync(2);
        foreach (var (row, capability, agentsNow, peak, peakAt) in new[] { (0, "any capability", "5", "8", served.Hour(14)), (1, "gpu, translate", "2", "3", served.Hour(20)) })
        {
            var cells = advice.Nth(row).Locator("td");
            await Expect(cells.Nth(0)).ToHaveTextAsync(capability);
            await Expect(cells.Nth(1)).ToHaveTextAsync(agentsNow);
            await Expect(cells.Nth(2)).ToHaveTextAsync(peak);
            await Expect(cells.Nth(3).Locator("time")).ToHaveAttributeAsync("datetime", peakAt);
        }

        await Expect(panel.Locator("#recommendations-basis")).ToContainTextAsync("at 70 % of their slots over the next 48 hours, from model version 3");
        await panel.ScreenshotAsync(new() { Path = Path.Combine(ServerProcess.RepositoryRoot(), "artifacts", "screenshots", "dashboard-forecast.png") });

        // A series without a model yet, no anomalies, and advice refused: at phone width, on the same server.
        var phone = await _browser.NewPageAsync(390, 844);
        await ServeForecastingAsync(
            phone,
            (404, """{"title":"Not found","status":404,"detail":"A forecast of completions was not found."}"""),
            Json(new JsonObject { ["items"] = new JsonArray() }),
            (429, """{"title":"Too many requests","status":429,"detail":"The API-call quota of this period is used up."}"""));
        await SignInAsync(phone);
        var empty = phone.GetByRole(AriaRole.Region, new() { Name = "Forecast" });
        await Expect(empty.GetByText("No forecast yet: a series needs 1,000 hours of history before it is trained")).ToBeVisibleAsync();
        await Expect(empty.Locator("#forecast-model")).ToBeHiddenAsync();
        await Expect(empty.GetByText("No anomalies in the last 7 days")).ToBeVisibleAsync();
        await Expect(empty.GetByRole(AriaRole.Table, new() { Name = "Anomalies" })).ToBeHiddenAsync();
        await Expect(empty.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Could not read the scaling advice: The API-call quota of this period is used up.");
        await ExpectDrawnAsync(phone, "forecast-chart", "#1d6fb8");
        Assert.False(await phone.EvaluateAsync<bool>(HasColourScript, new object[] { "forecast-chart", BandColour }), "A band is drawn without a forecast.");
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            "The forecast panel scrolls sideways at phone width.");
        await empty.ScreenshotAsync(new() { Path = Path.Combine(ServerProcess.RepositoryRoot(), "artifacts", "screenshots", "dashboard-forecast-phone.png") });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _api?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>Webhooks to the receiver on loopback over http, and one retry 0.2 s after the first attempt.</summary>
    private static Dictionary<string, string> NotificationSettings => new()
    {
        ["Workforce__Notifications__AllowPrivateTargets"] = "true",
        ["Workforce__Notifications__AllowHttpTargets"] = "true",
        ["Workforce__Notifications__RetrySchedule__0"] = "00:00:00.200",
    };

    private async Task<JsonObject> CreateWebhookAsync(WebhookReceiver receiver)
    {
        var response = await _api.PostAsJsonAsync("/api/v1/notifications/endpoints", new { channel = "webhook", target = receiver.Url.AbsoluteUri });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var endpoint = await ReadAsync(response);
        receiver.Trust(endpoint["secret"]!.GetValue<string>());
        return endpoint;
    }

    /// <summary>The server on a fresh data directory whose default tenant has <see cref="TenantKey"/>, with any further settings.</summary>
    private async Task StartServerAsync(Dictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(settings ?? [])
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["WORKFORCE_BOOTSTRAP_API_KEY"] = TenantKey,
        };
        _server = await ServerProcess.StartAsync(environment, TestContext.Current.CancellationToken);
        _api = _server.CreateClient(TenantKey);
    }

    /// <summary>A <c>queueStats</c> invocation in the hub's JSON protocol, as a server with nothing held would send it.</summary>
    private static string QueueStatsFrame(string server, int completedPerMinute)
    {
        var stats = new JsonObject
        {
            ["pending"] = new JsonObject { ["critical"] = 0, ["high"] = 0, ["medium"] = 0, ["low"] = 0 },
            ["assigned"] = 0,
            ["running"] = 0,
            ["throughputPerMinute"] = completedPerMinute,
            ["failuresPerMinute"] = 0,
            ["at"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["server"] = server,
        };
        var invocation = new JsonObject { ["type"] = 1, ["target"] = "queueStats", ["arguments"] = new JsonArray(stats) };
        return invocation.ToJsonString() + "\u001e";
    }

    private async Task<IPage> SignInAsync(IPage? page = null)
    {
        page ??= await _browser.NewPageAsync(1280, 1000);
        await page.GotoAsync(_server.Address.ToString());
        await page.GetByLabel("Tenant API key").FillAsync(TenantKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Live");
        return page;
    }

    /// <summary>The tenant key's history for the range, once the flushes have brought in the counts expected.</summary>
    private async Task<JsonObject> HistoryOnceFlushedAsync(string range, int submitted, int completed, int failed)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var history = await ReadAsync(await _api.GetAsync(new Uri($"/api/v1/visualizations?range={range}", UriKind.Relative)));
            Assert.Equal(range, history["range"]!.GetValue<string>());
            var series = history["series"]!.AsObject();
            if (Sum(series, "submitted") == submitted && Sum(series, "completed") == completed && Sum(series, "failed") == failed)
            {
                return history;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"The {range} history never counted the tasks: {history.ToJsonString()}");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The figures beside the charts are those of the served series: totals, the error rate of the totals, and the worst steps.</summary>
    private static async Task ExpectFiguresAsync(ILocator history, JsonObject served)
    {
        var series = served["series"]!.AsObject();
        var completed = Sum(series, "completed");
        var failed = Sum(series, "failed");
        await Expect(history.Locator("[data-figure=submitted]")).ToHaveTextAsync(Sum(series, "submitted").ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(history.Locator("[data-figure=completed]")).ToHaveTextAsync(completed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(history.Locator("[data-figure=failed]")).ToHaveTextAsync(failed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(history.Locator("[data-figure=errorRate]")).ToHaveTextAsync((100.0 * failed / (completed + failed)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " %");
        foreach (var (figure, name) in new[] { ("peakThroughput", "throughput"), ("scheduleToStartP95", "scheduleToStartP95"), ("runTimeP95", "runTimeP95") })
        {
            var highest = Values(series, name).Max();
            Assert.True(highest is not null, $"No {name} in {served.ToJsonString()}");
            var shown = await history.Locator($"[data-figure={figure}]").GetAttributeAsync("data-value");
            Assert.Equal(highest.Value, double.Parse(shown!, System.Globalization.CultureInfo.InvariantCulture), 9);
        }
    }

    private const string BandColour = "#f3dcb8";
    private const string ForecastColour = "#8a5300";

    /// <summary>Whether the chart's canvas has a size and opaque pixels of the colour.</summary>
    private const string HasColourScript = """
        ([id, colour]) => {
          const canvas = document.querySelector(`#${id} canvas`);
          if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
          const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
          const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 0; i < pixels.length; i += 4) {
            if (Math.abs(pixels[i] - r) < 8 && Math.abs(pixels[i + 1] - g) < 8 && Math.abs(pixels[i + 2] - b) < 8 && pixels[i + 3] > 200) return true;
          }
          return false;
        }
        """;

    /// <summary>The chart's canvas has a size and pixels of the series' colour: uPlot drew the line or its points.</summary>
    private static async Task ExpectDrawnAsync(IPage page, string chart, string colour) =>
        await UntilAsync(page, HasColourScript, new object[] { chart, colour }, $"The {chart} chart has no {colour} pixels.");

    private static (int Status, string Body) Json(JsonObject body) => (200, body.ToJsonString());

    /// <summary>The page's reads of the forecast of completions, the anomalies and the advice answered by the test.</summary>
    private static async Task ServeForecastingAsync(IPage page, (int Status, string Body) forecasts, (int Status, string Body) anomalies, (int Status, string Body) recommendations)
    {
        foreach (var (pattern, (status, body)) in new[]
        {
            (@"/api/v1/forecasts\?series=completions$", forecasts),
            (@"/api/v1/anomalies$", anomalies),
            (@"/api/v1/recommendations$", recommendations),
        })
        {
            await page.RouteAsync(new System.Text.RegularExpressions.Regex(pattern), route => route.FulfillAsync(new()
            {
                Status = status,
                ContentType = status == 200 ? "application/json" : "application/problem+json",
                Body = body,
            }));
        }
    }

    /// <summary>
    /// Bodies shaped as the forecasting API serves them, from the hour in progress: a daily wave of completions with an
    /// 85 % interval and one unknown hour, anomalies newest first, and advice per capability set.
    /// </summary>
    private sealed class ServedForecasting(DateTimeOffset hour)
    {
        private static readonly (int HoursAgo, string Series, double Value, double Expected, double Score)[] AnomalyRows =
        [
            (30, "completions", 41, 12.5, 7.9),
            (41, "scheduleToStartP95:gpu,translate", 95_000, 2_350, 6.2),
            (50, "errorRate", 38.5, 2.1, 12.3),
        ];

        public string Hour(int fromNow) => Iso(hour.AddHours(fromNow));

        public string Anomaly(int index) => Hour(-AnomalyRows[index].HoursAgo);

        public JsonObject Forecast(string method, bool confident)
        {
            var points = new JsonArray();
            for (var h = 0; h < 48; h++)
            {
                var value = Math.Round(12 + (6 * Math.Sin(2 * Math.PI * h / 24)), 1);
                // An hour the model could not forecast: a gap in the line and the band.
                points.Add(h == 30
                    ? new JsonObject { ["at"] = Hour(h), ["value"] = null, ["lower"] = null, ["upper"] = null }
                    : new JsonObject { ["at"] = Hour(h), ["value"] = value, ["lower"] = Math.Round(value * 0.7, 1), ["upper"] = Math.Round(value * 1.3, 1) });
            }

            var forecast = new JsonObject
            {
                ["series"] = "completions", ["modelVersion"] = 3, ["method"] = method, ["madeAt"] = Iso(hour.AddMinutes(2)), ["confident"] = confident, ["points"] = points,
            };
            return new JsonObject { ["items"] = new JsonArray(forecast) };
        }

        public JsonObject Anomalies => new()
        {
            ["items"] = new JsonArray([.. AnomalyRows.Select(row => new JsonObject
            {
                ["series"] = row.Series, ["at"] = Hour(-row.HoursAgo), ["value"] = row.Value, ["expected"] = row.Expected, ["score"] = row.Score,
                ["detectedAt"] = Iso(hour.AddHours(1 - row.HoursAgo).AddMinutes(3)),
            })]),
        };

        // Served with the capability set first: the view puts the whole workforce first.
        public JsonObject Recommendations => new()
        {
            ["items"] = new JsonArray(
                Advice("gpu,translate", h => h == 20 ? 3 : 2),
                Advice("*", h => h == 14 ? 8 : h is >= 12 and <= 16 ? 7 : 5)),
        };

        private JsonObject Advice(string capability, Func<int, int> agents) => new()
        {
            ["capability"] = capability, ["madeAt"] = Iso(hour.AddMinutes(2)), ["modelVersion"] = 3, ["targetUtilisation"] = 0.7, ["agentsNow"] = agents(0),
            ["hours"] = new JsonArray([.. Enumerable.Range(0, 48).Select(h => new JsonObject { ["at"] = Hour(h), ["agents"] = agents(h) })]),
        };

        private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polled with EvaluateAsync: the page's CSP forbids the eval that WaitForFunctionAsync needs.</summary>
    private static async Task UntilAsync(IPage page, string script, object? argument, string failure)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (!await page.EvaluateAsync<bool>(script, argument))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, failure);
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private static IEnumerable<double?> Values(JsonObject series, string name) =>
        series[name]!.AsArray().Select(value => value?.GetValue<double>());

    private static int Sum(JsonObject series, string name) => (int)Values(series, name).Sum(value => value ?? 0);

    /// <summary>Kept under artifacts/screenshots (git-ignored) for a person to look at after the run.</summary>
    private static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ServerProcess.RepositoryRoot(), "artifacts", "screenshots", name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private async Task<JsonObject> PostAsync(string path, object body) =>
        await ReadAsync(await _api.PostAsJsonAsync(path, body));

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
