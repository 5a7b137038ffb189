using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Workforce.Core.Reports;

namespace Workforce.Reports.Tests.Json;

public sealed class JsonReportRendererTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromFile(Path.Combine(Renderers.RepositoryRoot(), "docs", "schemas", "report.schema.json")));

    [Fact]
    public async Task Holds_the_whole_report_with_camelCase_enums_and_UTC_times()
    {
        var json = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Json), SampleReports.AgentActivity(3));

        using var parsed = JsonDocument.Parse(json);
        var root = parsed.RootElement;
        Assert.Equal("Agent activity, March 2026", root.GetProperty("title").GetString());
        Assert.Equal("tenant-acme", root.GetProperty("tenantId").GetString());
        Assert.Equal("agentActivity", root.GetProperty("type").GetString());
        Assert.Equal("2026-03-01T00:00:00Z", root.GetProperty("from").GetString());
        Assert.Equal("2026-04-01T00:00:00Z", root.GetProperty("to").GetString());
        Assert.Equal("2026-04-01T06:15:00Z", root.GetProperty("generatedAt").GetString());
        Assert.Equal("alpha", root.GetProperty("filters").GetProperty("agent").GetString());

        var figures = root.GetProperty("figures");
        Assert.Equal(4, figures.GetArrayLength());
        Assert.Equal(0.4m, figures[1].GetProperty("value").GetDecimal());
        Assert.Equal("%", figures[1].GetProperty("unit").GetString());
        Assert.Equal(JsonValueKind.Null, figures[0].GetProperty("unit").ValueKind);
        Assert.Equal(JsonValueKind.Null, figures[3].GetProperty("value").ValueKind);

        var beta = root.GetProperty("charts")[0].GetProperty("series")[1];
        Assert.Equal("beta", beta.GetProperty("name").GetString());
        Assert.Equal(31, beta.GetProperty("points").GetArrayLength());
        Assert.Equal("2026-03-11T00:00:00Z", beta.GetProperty("points")[10].GetProperty("at").GetString());
        Assert.Equal(JsonValueKind.Null, beta.GetProperty("points")[10].GetProperty("value").ValueKind);

        var supporting = root.GetProperty("supportingTables")[0];
        Assert.Equal("Tasks by agent", supporting.GetProperty("title").GetString());
        Assert.Equal(8000, supporting.GetProperty("rows")[0].GetProperty("tasks").GetInt64());
        Assert.Equal(JsonValueKind.Null, supporting.GetProperty("rows")[1].GetProperty("errorRate").ValueKind);

        var primary = root.GetProperty("primary");
        Assert.Equal("Completed tasks", primary.GetProperty("title").GetString());
        var durationColumn = primary.GetProperty("columns")[5];
        Assert.Equal("durationMs", durationColumn.GetProperty("name").GetString());
        Assert.Equal("Duration (ms)", durationColumn.GetProperty("label").GetString());
        Assert.Equal("milliseconds", durationColumn.GetProperty("kind").GetString());
        var row = primary.GetProperty("rows")[1];
        Assert.Equal("task-00001", row.GetProperty("taskId").GetString());
        Assert.Equal("2026-03-01T00:01:00Z", row.GetProperty("completedAt").GetString());
        Assert.Equal(2, row.GetProperty("attempts").GetInt64());
        Assert.Equal(2.25m, row.GetProperty("costUsd").GetDecimal());
        Assert.Equal(201, row.GetProperty("durationMs").GetInt64());
        Assert.Equal(JsonValueKind.Null, primary.GetProperty("rows")[0].GetProperty("durationMs").ValueKind);
        Assert.Equal(3, primary.GetProperty("rows").GetArrayLength());
    }

    [Fact]
    public async Task Rendered_report_is_valid_against_the_published_schema()
    {
        var json = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Json), SampleReports.AgentActivity(50));

        using var parsed = JsonDocument.Parse(json);
        var result = Schema.Value.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

        Assert.True(result.IsValid, Errors(result));
    }

    [Fact]
    public async Task Empty_report_is_valid_against_the_schema_too()
    {
        var empty = SampleReports.AgentActivity(0) with { Filters = new Dictionary<string, string>(), Figures = [], Charts = [], SupportingTables = [] };
        var json = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Json), empty);

        using var parsed = JsonDocument.Parse(json);
        var result = Schema.Value.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

        Assert.True(result.IsValid, Errors(result));
        Assert.Equal(0, parsed.RootElement.GetProperty("primary").GetProperty("rows").GetArrayLength());
    }

    /// <summary>The schema is not a rubber stamp: documents that break it, as a careless change to the writer would, fail.</summary>
    [Theory]
    [InlineData("missing primary")]
    [InlineData("type in PascalCase")]
    [InlineData("time with an offset")]
    [InlineData("unknown kind")]
    [InlineData("row value an object")]
    public async Task Schema_rejects_reports_of_another_shape(string change)
    {
        var json = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Json), SampleReports.AgentActivity(2));
        var node = JsonNode.Parse(json)!.AsObject();
        switch (change)
        {
            case "missing primary":
                node.Remove("primary");
                break;
            case "type in PascalCase":
                node["type"] = "AgentActivity";
                break;
            case "time with an offset":
                node["from"] = "2026-03-01T00:00:00+00:00";
                break;
            case "unknown kind":
                node["primary"]!["columns"]![0]!["kind"] = "Text";
                break;
            case "row value an object":
                node["primary"]!["rows"]![0]!["taskId"] = new JsonObject();
                break;
        }

        using var parsed = JsonDocument.Parse(node.ToJsonString());
        Assert.False(Schema.Value.Evaluate(parsed.RootElement, new EvaluationOptions { RequireFormatValidation = true }).IsValid);
    }

    [Fact]
    public async Task Values_without_a_JSON_number_are_null()
    {
        var document = SampleReports.AgentActivity(1, _ => ["t", "a", SampleReports.From, 1L, double.NaN, double.PositiveInfinity]) with
        {
            Charts = [new ReportChart("c", "ms", [new ChartSeries("s", [new ChartPoint(SampleReports.From, double.NaN)])])],
        };

        var json = await SampleReports.RenderAsync(Renderers.For(ReportFormat.Json), document);

        using var parsed = JsonDocument.Parse(json);
        var row = parsed.RootElement.GetProperty("primary").GetProperty("rows")[0];
        Assert.Equal(JsonValueKind.Null, row.GetProperty("costUsd").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("durationMs").ValueKind);
        Assert.Equal(JsonValueKind.Null, parsed.RootElement.GetProperty("charts")[0].GetProperty("series")[0].GetProperty("points")[0].GetProperty("value").ValueKind);
    }

    private static string Errors(EvaluationResults result) =>
        string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));
}
