using System.Text;
using CsvHelper;
using Workforce.Core.Reports;

namespace Workforce.Reports.Tests.Csv;

public sealed class CsvReportRendererTests
{
    [Fact]
    public async Task Holds_the_primary_table_alone_with_machine_names_as_header()
    {
        var csv = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Csv), SampleReports.AgentActivity(25));

        var records = Read(csv);
        Assert.Equal(["taskId", "agent", "completedAt", "attempts", "costUsd", "durationMs"], records[0]);
        Assert.Equal(26, records.Count);
        Assert.Equal(["task-00003", "beta", "2026-03-01T00:03:00Z", "1", "4.25", "203"], records[4]);
        // A null cell is an empty field; figures and supporting tables are not in the CSV.
        Assert.Equal(string.Empty, records[1][5]);
        Assert.DoesNotContain("Tasks by agent", Encoding.UTF8.GetString(csv));
    }

    [Fact]
    public async Task Is_RFC_4180_with_CRLF_records_and_no_byte_order_mark()
    {
        var csv = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Csv), SampleReports.AgentActivity(2));

        Assert.NotEqual(0xEF, csv[0]);
        var text = Encoding.UTF8.GetString(csv);
        Assert.Equal(
            "taskId,agent,completedAt,attempts,costUsd,durationMs\r\n"
            + "task-00000,alpha,2026-03-01T00:00:00Z,1,1.25,\r\n"
            + "task-00001,beta,2026-03-01T00:01:00Z,2,2.25,201\r\n",
            text);
    }

    [Fact]
    public async Task Commas_quotes_and_line_breaks_in_text_survive_the_round_trip()
    {
        string[] awkward = ["Smith, John", "say \"hi\"", "line one\nline two", "crlf\r\nend", "  padded  ", "naïve — ünïcödé"];
        var document = SampleReports.AgentActivity(awkward.Length, i => [awkward[i], "alpha", SampleReports.From, 1L, 1m, 1L]);

        var csv = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Csv), document);

        var records = Read(csv);
        Assert.Equal(awkward, records.Skip(1).Select(record => record[0]));
        var text = Encoding.UTF8.GetString(csv);
        Assert.Contains("\"Smith, John\"", text);
        Assert.Contains("\"say \"\"hi\"\"\"", text);
    }

    [Fact]
    public async Task Text_that_a_spreadsheet_would_run_as_a_formula_is_kept_as_text()
    {
        var document = SampleReports.AgentActivity(2, i => [i == 0 ? "=HYPERLINK(\"http://x\")" : "@SUM(A1)", "alpha", SampleReports.From, 1L, -5m, 1L]);

        var csv = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Csv), document);

        var records = Read(csv);
        Assert.Equal("'=HYPERLINK(\"http://x\")", records[1][0]);
        Assert.Equal("'@SUM(A1)", records[2][0]);
        // Numbers are not text: a negative cost stays a number.
        Assert.Equal("-5", records[1][4]);
    }

    [Fact]
    public async Task Times_are_UTC_and_numbers_invariant_whatever_the_input_types()
    {
        var local = new DateTimeOffset(2026, 3, 1, 10, 30, 15, 250, TimeSpan.FromHours(2));
        var document = SampleReports.AgentActivity(1, _ => ["t", "a", local, 7, 1234567.891, TimeSpan.FromMilliseconds(12.5)]);

        var csv = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Csv), document);

        Assert.Equal(["t", "a", "2026-03-01T08:30:15.25Z", "7", "1234567.891", "12.5"], Read(csv)[1]);
    }

    private static List<string[]> Read(byte[] csv)
    {
        using var reader = CsvReader.Create(csv, CsvReaderOptions.Default with { HasHeader = false });
        var records = new List<string[]>();
        while (reader.Read())
        {
            records.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i) ?? string.Empty).ToArray());
        }

        return records;
    }
}
