using System.Diagnostics;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using Workforce.Core.Reports;

namespace Workforce.Reports.Tests.Pdf;

public sealed class PdfReportRendererTests
{
    [Fact]
    public async Task Title_page_shows_the_report_its_tenant_period_generation_time_filters_and_figures()
    {
        var pdf = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Pdf), SampleReports.AgentActivity(10));

        using var document = PdfDocument.Open(pdf);
        var first = Text(document.GetPage(1));
        Assert.Contains("Agent activity, March 2026", first);
        Assert.Contains("Agent activity report", first);
        Assert.Contains("tenant-acme", first);
        Assert.Contains("2026-03-01 00:00 to 2026-04-01 00:00 UTC", first);
        Assert.Contains("2026-04-01 06:15 UTC", first);
        Assert.Contains("agent: alpha", first);
        Assert.Contains("status: completed", first);
        Assert.Contains("Tasks completed", first);
        Assert.Contains("12,345", first);
        Assert.Contains("0.4 %", first);
        Assert.Contains("1,250.5 ms", first);
        Assert.Equal("Agent activity, March 2026", document.Information.Title);
    }

    [Fact]
    public async Task Charts_and_supporting_tables_are_drawn_with_their_titles_axes_and_legends()
    {
        var pdf = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Pdf), SampleReports.AgentActivity(10));

        using var document = PdfDocument.Open(pdf);
        var all = string.Join("\n", document.GetPages().Select(Text));
        Assert.Contains("Tasks per day", all);
        Assert.Contains("p95 latency", all);
        // Legends, the unit of the value axis, and time labels in UTC.
        Assert.Contains("alpha", all);
        Assert.Contains("all agents", all);
        Assert.Contains("2026-03-01", all);
        Assert.Contains("2026-03-31 UTC", all);
        Assert.Contains("Tasks by agent", all);
        Assert.Contains("Error rate (%)", all);
        Assert.Contains("8,000", all);
        Assert.Contains("0.25", all);
    }

    [Fact]
    public async Task Primary_table_starts_on_a_later_page_and_repeats_its_header_on_every_page_it_fills()
    {
        var pdf = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Pdf), SampleReports.AgentActivity(300));

        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().Select(Text).ToList();
        var tablePages = pages.Select((text, i) => (text, number: i + 1)).Where(p => p.text.Contains("Completed tasks", StringComparison.Ordinal)).ToList();
        Assert.True(tablePages.Count >= 3, $"300 rows should fill several pages, found the table on {tablePages.Count}.");
        Assert.True(tablePages[0].number >= 2, "The primary table starts after the title page.");
        foreach (var (text, number) in tablePages)
        {
            Assert.Contains("Task", text);
            Assert.Contains("Completed (UTC)", text);
            Assert.Contains("Duration (ms)", text);
            Assert.Contains($"Page {number} of {pages.Count}", text);
        }

        Assert.Contains("Completed tasks (continued)", tablePages[^1].text);
        Assert.Contains("task-00000", tablePages[0].text);
        Assert.Contains("2026-03-01 00:01:00", tablePages[0].text);
        Assert.Contains("task-00299", tablePages[^1].text);
        Assert.DoesNotContain("more rows are not shown", string.Concat(pages));
    }

    [Fact]
    public async Task A_table_too_wide_for_an_upright_page_turns_the_pages_to_landscape_and_keeps_its_cells_whole()
    {
        ReportColumn[] columns =
        [
            new("invoiceId", "Invoice", ColumnKind.Text), new("periodStart", "Period start", ColumnKind.Time), new("periodEnd", "Period end", ColumnKind.Time),
            new("plan", "Plan", ColumnKind.Text), new("status", "Status", ColumnKind.Text), new("total", "Total", ColumnKind.Number),
            new("currency", "Currency", ColumnKind.Text), new("issuedAt", "Issued", ColumnKind.Time), new("paidAt", "Paid", ColumnKind.Time),
        ];
        var wide = new ReportTable("Invoices", columns,
            [["inv-tenant-acme-20260301", SampleReports.From, SampleReports.To, "professional", "not_charged", 0m, "USD", SampleReports.To, null]]);
        var pdf = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Pdf), SampleReports.AgentActivity(10) with { SupportingTables = [wide] });

        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().ToList();
        var invoicePage = pages.Single(page => Text(page).Contains("Invoices", StringComparison.Ordinal));
        Assert.True(pages[0].Height > pages[0].Width, "The title page stays upright.");
        Assert.True(invoicePage.Width > invoicePage.Height, "The wide table is on a landscape page.");
        Assert.True(pages[^1].Width > pages[^1].Height, "The pages after it stay landscape.");
        var words = invoicePage.GetWords().Select(word => word.Text).ToList();
        Assert.Contains("inv-tenant-acme-20260301", words);
        Assert.Contains("not_charged", words);
        Assert.Contains("2026-03-01", words);
        Assert.DoesNotContain(words, word => word.Contains('…', StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_primary_table_too_wide_for_an_upright_page_starts_on_a_landscape_page_without_a_blank_one_before_it()
    {
        ReportColumn[] columns = [.. Enumerable.Range(0, 9).Select(i => new ReportColumn($"column{i}", $"Column {i}", ColumnKind.Text))];
        var primary = new StreamedTable("Wide rows", columns, SampleReports.Rows(3, i => [.. columns.Select(column => (object?)$"{column.Name}-row-{i}")]));
        var pdf = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Pdf), SampleReports.AgentActivity(0) with { Primary = primary });

        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().ToList();
        var footer = "Agent activity, March 2026 · tenant-acme Page";
        Assert.All(pages, page => Assert.NotEmpty(Text(page)[..Text(page).LastIndexOf(footer, StringComparison.Ordinal)].Trim()));
        Assert.True(pages[^1].Width > pages[^1].Height, "The wide table is on a landscape page.");
        Assert.Contains("column8-row-2", Text(pages[^1]));
    }

    [Fact]
    public async Task Rows_past_the_cap_are_counted_and_left_to_the_CSV_and_JSON()
    {
        var renderer = Renderers.For(ReportFormat.Pdf, options => options.MaxPrimaryRows = 120);

        var pdf = await SampleReports.RenderAsync(renderer, SampleReports.AgentActivity(1_500));

        using var document = PdfDocument.Open(pdf);
        var all = string.Join("\n", document.GetPages().Select(Text));
        Assert.Contains("task-00119", all);
        Assert.DoesNotContain("task-00120", all);
        Assert.Contains("1,380 more rows are not shown: this PDF holds the first 120 of 1,500 rows. The CSV and JSON formats hold them all.", all);
        AssertNothingRunsOffThePage(document);
    }

    [Fact]
    public async Task Default_cap_is_five_thousand_rows()
    {
        var pdf = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Pdf), SampleReports.AgentActivity(5_001));

        using var document = PdfDocument.Open(pdf);
        var last = Text(document.GetPage(document.NumberOfPages));
        Assert.Contains("1 more row is not shown: this PDF holds the first 5,000 of 5,001 rows.", last);
        Assert.Contains("task-04999", last);
    }

    /// <summary>One renderer serves every request: PDFsharp's fonts are process-wide, the documents are not.</summary>
    [Fact]
    public async Task Reports_rendered_at_the_same_time_do_not_mix()
    {
        var renderer = Renderers.For(ReportFormat.Pdf);
        var tenants = Enumerable.Range(0, 6).Select(i => $"tenant-{i}").ToList();

        var pdfs = await Task.WhenAll(tenants.Select(tenant => Task.Run(() =>
            SampleReports.RenderAsync(renderer, SampleReports.AgentActivity(400) with { TenantId = tenant }))));

        for (var i = 0; i < tenants.Count; i++)
        {
            using var document = PdfDocument.Open(pdfs[i]);
            var all = string.Join("\n", document.GetPages().Select(Text));
            Assert.Contains(tenants[i], all);
            Assert.Contains("task-00399", all);
            Assert.DoesNotContain(tenants[(i + 1) % tenants.Count], all);
        }
    }

    [Fact]
    public async Task An_empty_report_says_so_instead_of_failing()
    {
        var empty = SampleReports.AgentActivity(0) with { Figures = [], Charts = [new ReportChart("Nothing", "tasks", [])], SupportingTables = [] };

        var pdf = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Pdf), empty);

        using var document = PdfDocument.Open(pdf);
        var all = string.Join("\n", document.GetPages().Select(Text));
        Assert.Contains("No data in this period.", all);
        Assert.Contains("No rows in this period.", all);
    }

    [Fact]
    public async Task A_row_of_the_wrong_width_fails_the_render_naming_the_table()
    {
        var bad = SampleReports.AgentActivity(3, i => i == 2 ? ["only one cell"] : SampleReports.PrimaryRow(i));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SampleReports.RenderAsync(Renderers.For(ReportFormat.Pdf), bad));

        Assert.Contains("Completed tasks", error.Message);
    }

    /// <summary>
    /// What a person sees: the pages as PNGs (poppler's pdftoppm, installed by ./test.sh), kept in artifacts/reports/
    /// for a look, and each of them more than a blank page.
    /// </summary>
    [Fact]
    public async Task Pages_render_to_images_a_person_can_look_at()
    {
        // A cap below the rows, so the pages show the closing line too.
        var pdf = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Pdf, options => options.MaxPrimaryRows = 100), SampleReports.AgentActivity(130));
        var folder = Path.Combine(Renderers.RepositoryRoot(), "artifacts", "reports");
        Directory.CreateDirectory(folder);
        var pdfPath = Path.Combine(folder, "agent-activity.pdf");
        await File.WriteAllBytesAsync(pdfPath, pdf, TestContext.Current.CancellationToken);
        foreach (var old in Directory.GetFiles(folder, "agent-activity-page-*.png"))
        {
            File.Delete(old);
        }

        var start = new ProcessStartInfo("pdftoppm", ["-png", "-r", "80", pdfPath, Path.Combine(folder, "agent-activity-page")])
        {
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("pdftoppm is missing: install poppler-utils (./test.sh does).", e);
        }

        using (process)
        {
            var errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, $"pdftoppm failed: {errors}");
        }

        using var document = PdfDocument.Open(pdf);
        AssertNothingRunsOffThePage(document);
        var images = Directory.GetFiles(folder, "agent-activity-page-*.png").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(document.NumberOfPages, images.Count);
        foreach (var image in images)
        {
            var bytes = await File.ReadAllBytesAsync(image, TestContext.Current.CancellationToken);
            Assert.True(bytes.AsSpan(0, 8).SequenceEqual(PngSignature), $"{image} is no PNG.");
            // An A4 page at 80 dpi that is all white compresses to about 2 KB; text and lines make it several times that.
            Assert.True(bytes.Length > 10_000, $"{image} is {bytes.Length} bytes: is the page blank?");
        }
    }

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Every letter lies inside the margins: text that overflows is drawn, and read back, but cut off on paper.</summary>
    private static void AssertNothingRunsOffThePage(PdfDocument document)
    {
        foreach (var page in document.GetPages())
        {
            var outside = page.Letters.Where(l => l.BoundingBox.Left < 30 || l.BoundingBox.Right > page.Width - 30).ToList();
            Assert.True(outside.Count == 0, $"Page {page.Number}: '{string.Concat(outside.Select(l => l.Value))}' runs off the page.");
        }
    }

    /// <summary>The page's words in reading order, one space apart, so a test can look for phrases.</summary>
    private static string Text(Page page) => string.Join(" ", page.GetWords().Select(word => word.Text));
}
