using System.Net;
using System.Text.Json.Nodes;
using UglyToad.PdfPig;

namespace Workforce.Server.Tests.Reports;

/// <summary>Reports on SQLite and local files.</summary>
public sealed class ReportsApiTests() : ReportsApiContract(new WorkforceApiFactory());

/// <summary>Reports on Azure Tables and Blobs (Azurite): the links are the blob store's own SAS URLs.</summary>
public sealed class AzuriteReportsApiTests() : ReportsApiContract(new AzuriteApiFactory());

/// <summary>Reports through the server: asked for over HTTP, made by the report workflow on the embedded engine, written to blob storage.</summary>
public abstract class ReportsApiContract(WorkforceApiFactory server) : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private readonly WorkforceApiFactory _server = server;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task An_agent_activity_report_becomes_ready_with_a_link_to_its_file()
    {
        using var tenant = _server.Tenant();
        var agent = await tenant.RegisterAsync("translator");
        var task = await tenant.SubmitAsync(new { type = "translate", priority = "high" });
        using var agentClient = _server.Client(agent.Str("agentKey"));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{task.Id()}/complete", new { result = new { text = "hallo" } }));
        var now = DateTimeOffset.UtcNow;

        var response = await tenant.PostAsync("/api/v1/reports", new { type = "agentActivity", format = "json", from = now.AddHours(-1), to = now });
        var pending = await WorkforceClient.ReadAsync(response, HttpStatusCode.Accepted);

        Assert.Equal($"/api/v1/reports/{pending.Str("id")}", response.Headers.Location?.OriginalString);
        Assert.Equal(("agentActivity", "json", "pending"), (pending.Str("type"), pending.Str("format"), pending.Str("status")));
        Assert.Null(pending["downloadUrl"]);
        var ready = await ReadyAsync(tenant, pending.Str("id"));
        Assert.True(ready["length"]!.GetValue<long>() > 0);
        var link = new Uri(ready.Str("downloadUrl"));
        Assert.True(link.IsAbsoluteUri);
        var file = await DownloadAsync(link);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        var body = await file.Content.ReadAsStringAsync();
        Assert.Contains(task.Str("id"), body, StringComparison.Ordinal);
        Assert.Contains(agent.Str("id"), body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pdf")]
    [InlineData("csv")]
    public async Task Performance_and_health_reports_are_written_in_every_format(string format)
    {
        using var tenant = _server.Tenant();
        var now = DateTimeOffset.UtcNow;
        var performance = await WorkforceClient.ReadAsync(
            await tenant.PostAsync("/api/v1/reports", new { type = "performance", format, from = now.AddDays(-2), to = now }), HttpStatusCode.Accepted);
        var health = await WorkforceClient.ReadAsync(
            await tenant.PostAsync("/api/v1/reports", new { type = "health", format, from = now.AddHours(-3), to = now }), HttpStatusCode.Accepted);

        Assert.Equal("ready", (await ReadyAsync(tenant, performance.Str("id"))).Str("status"));
        Assert.Equal("ready", (await ReadyAsync(tenant, health.Str("id"))).Str("status"));
        var listed = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/reports?limit=1"));
        Assert.Equal(health.Str("id"), Assert.Single(listed["items"]!.AsArray())!.Str("id"));
        Assert.NotNull(listed["nextCursor"]);
    }

    [Fact]
    public async Task A_range_in_the_future_or_an_unknown_filter_is_refused_as_a_problem()
    {
        using var tenant = _server.Tenant();
        var now = DateTimeOffset.UtcNow;

        var future = await WorkforceClient.ProblemAsync(
            await tenant.PostAsync("/api/v1/reports", new { type = "health", format = "pdf", from = now, to = now.AddDays(1) }), HttpStatusCode.BadRequest);
        var filter = await WorkforceClient.ProblemAsync(
            await tenant.PostAsync("/api/v1/reports", new { type = "agentActivity", format = "csv", from = now.AddDays(-1), to = now, filters = new { colour = "red" } }),
            HttpStatusCode.BadRequest);
        var type = await WorkforceClient.ProblemAsync(
            await tenant.PostAsync("/api/v1/reports", new { type = "agent-activity", format = "csv", from = now.AddDays(-1), to = now }), HttpStatusCode.BadRequest);

        Assert.NotNull(future["errors"]!["to"]);
        Assert.NotNull(filter["errors"]!["filters"]);
        Assert.NotNull(type);
        Assert.Empty((await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/reports")))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_tenant_never_sees_another_tenants_reports_or_schedules()
    {
        using var tenant = _server.Tenant();
        using var admin = _server.Client(WorkforceApiFactory.AdminKey);
        var other = await WorkforceClient.ReadAsync(await admin.PostAsync("/api/v1/tenants", new { name = "Globex" }), HttpStatusCode.Created);
        using var globex = _server.Client(other.Str("apiKey"));
        var now = DateTimeOffset.UtcNow;
        var report = await WorkforceClient.ReadAsync(
            await tenant.PostAsync("/api/v1/reports", new { type = "health", format = "json", from = now.AddHours(-1), to = now }), HttpStatusCode.Accepted);
        var schedule = await WorkforceClient.ReadAsync(
            await tenant.PostAsync("/api/v1/reports/schedules", new { type = "health", format = "pdf", cron = "0 0 6 * * *", range = "24h" }), HttpStatusCode.Created);

        await WorkforceClient.ProblemAsync(await globex.GetAsync($"/api/v1/reports/{report.Str("id")}"), HttpStatusCode.NotFound);
        await WorkforceClient.ProblemAsync(await globex.Http.DeleteAsync($"/api/v1/reports/schedules/{schedule.Str("id")}"), HttpStatusCode.NotFound);
        Assert.Empty((await WorkforceClient.ReadAsync(await globex.GetAsync("/api/v1/reports")))["items"]!.AsArray());
        Assert.Empty((await WorkforceClient.ReadAsync(await globex.GetAsync("/api/v1/reports/schedules")))["items"]!.AsArray());
        Assert.Equal("ready", (await ReadyAsync(tenant, report.Str("id"))).Str("status"));
    }

    [Fact]
    public async Task A_schedule_is_created_listed_and_removed()
    {
        using var tenant = _server.Tenant();
        var endpoint = await WorkforceClient.ReadAsync(
            await tenant.PostAsync("/api/v1/notifications/endpoints", new { channel = "webhook", target = "https://hooks.example.com/workforce" }), HttpStatusCode.Created);

        var response = await tenant.PostAsync("/api/v1/reports/schedules",
            new { type = "agentActivity", format = "csv", cron = "0 30 7 * * 1", range = "7d", filters = new { priority = "high" }, deliverTo = new[] { endpoint.Str("id") } });
        var created = await WorkforceClient.ReadAsync(response, HttpStatusCode.Created);
        var tooOften = await WorkforceClient.ProblemAsync(
            await tenant.PostAsync("/api/v1/reports/schedules", new { type = "health", format = "pdf", cron = "0 * * * * *", range = "24h" }), HttpStatusCode.BadRequest);

        Assert.Equal($"/api/v1/reports/schedules/{created.Str("id")}", response.Headers.Location?.OriginalString);
        Assert.Equal(("7d", "agentActivity", DayOfWeek.Monday), (created.Str("range"), created.Str("type"), created["nextRunAt"]!.GetValue<DateTimeOffset>().DayOfWeek));
        Assert.NotNull(tooOften["errors"]!["cron"]);
        var listed = await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/reports/schedules"));
        Assert.Equal(created.Str("id"), Assert.Single(listed["items"]!.AsArray())!.Str("id"));
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Http.DeleteAsync($"/api/v1/reports/schedules/{created.Str("id")}")).StatusCode);
        await WorkforceClient.ProblemAsync(await tenant.GetAsync($"/api/v1/reports/schedules/{created.Str("id")}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_invoice_is_served_as_a_pdf_that_reads_back_with_its_lines()
    {
        // Three-second periods with one task included: the tasks past it are overage lines on the invoice.
        await using var billed = _server.With(new Dictionary<string, string?>
        {
            ["Workforce:Billing:PeriodLength"] = "00:00:03",
            ["Workforce:Billing:GracePeriod"] = "00:00:00",
            ["Workforce:Billing:Plans:professional:Tasks"] = "1",
            ["Workforce:Billing:Plans:professional:PerThousandTasks"] = "1000",
        });
        using var tenant = billed.Tenant();
        await WorkforceClient.ReadAsync(await tenant.PutAsync("/api/v1/subscription", new { plan = "professional", overage = "allow", overageCapPercent = 1_000 }));
        for (var i = 0; i < 3; i++)
        {
            await tenant.SubmitAsync(new { type = "billed" });
        }

        var invoice = await SettledInvoiceWithOverageAsync(tenant);
        var response = await tenant.GetAsync($"/api/v1/invoices/{invoice.Str("id")}/pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var document = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var words = document.GetPages().SelectMany(page => page.GetWords()).Select(word => word.Text).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(invoice.Str("id"), words);
        Assert.Contains(invoice.Str("status"), words);
        Assert.Contains("professional", words);
        Assert.All(invoice["lines"]!.AsArray(), line => Assert.Contains(line!.Str("kind"), words));
        Assert.DoesNotContain(words, word => word.Contains('…', StringComparison.Ordinal));
    }

    private static async Task<JsonObject> SettledInvoiceWithOverageAsync(WorkforceClient tenant)
    {
        using var timeout = new CancellationTokenSource(Within);
        while (true)
        {
            var invoices = (await WorkforceClient.ReadAsync(await tenant.GetAsync("/api/v1/invoices")))["items"]!.AsArray();
            // Offline billing issues an invoice open and then marks it offline: read it once it has settled.
            if (invoices.FirstOrDefault(i => i is not null && i.Str("status") != "open" && i["lines"]!.AsArray().Any(line => line!.Str("kind") == "overage")) is JsonObject invoice)
            {
                return invoice;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    [Fact]
    public async Task An_unknown_invoice_has_no_pdf()
    {
        using var tenant = _server.Tenant();

        await WorkforceClient.ProblemAsync(await tenant.GetAsync("/api/v1/invoices/inv_nope/pdf"), HttpStatusCode.NotFound);
    }

    /// <summary>Without a key: the server's own file route, or the blob store's URL.</summary>
    private async Task<HttpResponseMessage> DownloadAsync(Uri link)
    {
        if (link.Host == "localhost")
        {
            using var anonymous = _server.Client(apiKey: null);
            return await anonymous.GetAsync(link.PathAndQuery);
        }

        using var http = new HttpClient();
        return await http.GetAsync(link);
    }

    internal static async Task<JsonObject> ReadyAsync(WorkforceClient tenant, string id)
    {
        var deadline = DateTime.UtcNow + Within;
        while (true)
        {
            var report = await WorkforceClient.ReadAsync(await tenant.GetAsync($"/api/v1/reports/{id}"));
            if (report.Str("status") is "ready" or "failed" || DateTime.UtcNow > deadline)
            {
                Assert.True(report.Str("status") == "ready", report.ToJsonString());
                Assert.NotNull(report["downloadUrl"]);
                return report;
            }

            await Task.Delay(200);
        }
    }
}
