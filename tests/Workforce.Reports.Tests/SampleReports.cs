using System.Runtime.CompilerServices;
using Workforce.Core.Reports;

namespace Workforce.Reports.Tests;

/// <summary>Reports as a query would build them: every part filled, and a primary table of any length, made lazily.</summary>
internal static class SampleReports
{
    public static readonly DateTimeOffset From = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset To = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset GeneratedAt = new(2026, 4, 1, 6, 15, 0, TimeSpan.Zero);

    public static readonly IReadOnlyList<ReportColumn> PrimaryColumns =
    [
        new("taskId", "Task", ColumnKind.Text),
        new("agent", "Agent", ColumnKind.Text),
        new("completedAt", "Completed (UTC)", ColumnKind.Time),
        new("attempts", "Attempts", ColumnKind.Count),
        new("costUsd", "Cost (USD)", ColumnKind.Number),
        new("durationMs", "Duration (ms)", ColumnKind.Milliseconds),
    ];

    public static ReportDocument AgentActivity(int primaryRows, Func<int, IReadOnlyList<object?>>? row = null) => AgentActivity(Rows(primaryRows, row ?? PrimaryRow));

    public static ReportDocument AgentActivity(IAsyncEnumerable<IReadOnlyList<object?>> rows) => new(
        Title: "Agent activity, March 2026",
        TenantId: "tenant-acme",
        Type: ReportType.AgentActivity,
        From: From,
        To: To,
        GeneratedAt: GeneratedAt,
        Filters: new Dictionary<string, string> { ["agent"] = "alpha", ["status"] = "completed" },
        Figures:
        [
            new("Tasks completed", 12_345m),
            new("Error rate", 0.4m, "%"),
            new("Median duration", 1_250.5m, "ms"),
            new("Spend", null, "USD"),
        ],
        Charts:
        [
            new("Tasks per day", "tasks",
            [
                new("alpha", Daily(day => 100 + (day * 7 % 40))),
                // A gap from the 10th to the 14th, and a lone point on the 20th between gaps.
                new("beta", Daily(day => day is >= 10 and <= 14 or 19 or 21 ? null : 60 + (day * 13 % 30))),
            ]),
            new("p95 latency", "ms", [new("all agents", Daily(day => 850 + (day % 5 * 40.5)))]),
        ],
        SupportingTables:
        [
            new("Tasks by agent",
            [
                new("agent", "Agent", ColumnKind.Text),
                new("tasks", "Tasks", ColumnKind.Count),
                new("errorRate", "Error rate (%)", ColumnKind.Number),
            ],
            [
                ["alpha", 8_000L, 0.25m],
                ["beta", 4_345L, null],
            ]),
        ],
        Primary: new StreamedTable("Completed tasks", PrimaryColumns, rows));

    public static IReadOnlyList<object?> PrimaryRow(int i) =>
    [
        TaskId(i),
        i % 2 == 0 ? "alpha" : "beta",
        From.AddMinutes(i),
        (long)(1 + (i % 3)),
        1.25m + i,
        i % 10 == 0 ? null : 200L + i,
    ];

    public static string TaskId(int i) => $"task-{i:D5}";

    public static async IAsyncEnumerable<IReadOnlyList<object?>> Rows(long count, Func<int, IReadOnlyList<object?>> row, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row(i);
        }

        await Task.CompletedTask;
    }

    private static List<ChartPoint> Daily(Func<int, double?> value) =>
        Enumerable.Range(0, 31).Select(day => new ChartPoint(From.AddDays(day), value(day))).ToList();

    public static async Task<byte[]> RenderAsync(IReportRenderer renderer, ReportDocument document)
    {
        using var output = new MemoryStream();
        await renderer.RenderAsync(document, output, TestContext.Current.CancellationToken);
        return output.ToArray();
    }
}
