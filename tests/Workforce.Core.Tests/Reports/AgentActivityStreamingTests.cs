using Microsoft.Extensions.Time.Testing;
using Moq;
using Workforce.Core.Analytics;
using Workforce.Core.Reports;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Reports;

/// <summary>The agent-activity report reads tasks a page at a time as its rows are taken, and stops at the range's start.</summary>
public sealed class AgentActivityStreamingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Mock<IWorkforceStore> _store = new();
    private int _pagesRead;

    /// <summary>A million tasks, one a second back from now, newest first; none is held in memory but the page being read.</summary>
    public AgentActivityStreamingTests() =>
        _store.Setup(s => s.ListTasksAsync("acme", It.IsAny<TaskFilter>(), It.IsAny<PageRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, TaskFilter _, PageRequest page, CancellationToken _) =>
            {
                _pagesRead++;
                var start = page.Cursor is null ? 0 : int.Parse(page.Cursor, System.Globalization.CultureInfo.InvariantCulture);
                var items = Enumerable.Range(start, Math.Min(page.Limit, 1_000_000 - start)).Select(Task).ToList();
                return new Page<WorkTask>(items, start + items.Count < 1_000_000 ? (start + items.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
            });

    [Fact]
    public async Task Rows_are_read_a_page_at_a_time_as_they_are_taken()
    {
        var rows = Build().TaskRowsAsync(Report(Now.AddDays(-30), Now));

        Assert.Equal(0, _pagesRead);
        var taken = 0;
        await foreach (var row in rows)
        {
            if (++taken == BuildReportDocument.TaskPageSize + 1)
            {
                break;
            }
        }

        Assert.Equal(2, _pagesRead);
    }

    [Fact]
    public async Task Reading_stops_at_the_first_task_older_than_the_range()
    {
        var from = Now.AddSeconds(-1_200);
        var count = 0;
        await foreach (var row in Build().TaskRowsAsync(Report(from, Now.AddSeconds(-100))))
        {
            Assert.InRange((DateTimeOffset)row[6]!, from, Now.AddSeconds(-100));
            count++;
        }

        // Tasks 101..1200 seconds old (to is exclusive, from inclusive): 1100 rows from the first three pages, and no page after.
        Assert.Equal(1_100, count);
        Assert.Equal(3, _pagesRead);
    }

    [Fact]
    public async Task The_type_filter_drops_rows_and_the_others_go_to_the_store()
    {
        var agentId = Guid.NewGuid();
        var report = Report(Now.AddSeconds(-100), Now) with
        {
            Filters = new Dictionary<string, string> { ["type"] = "even", ["agentId"] = agentId.ToString(), ["priority"] = "high" },
        };

        var rows = new List<IReadOnlyList<object?>>();
        await foreach (var row in Build().TaskRowsAsync(report))
        {
            rows.Add(row);
        }

        Assert.All(rows, row => Assert.Equal("even", row[1]));
        Assert.Equal(50, rows.Count);
        _store.Verify(s => s.ListTasksAsync("acme", new TaskFilter(null, TaskPriority.High, agentId), It.IsAny<PageRequest>(), It.IsAny<CancellationToken>()));
    }

    private static WorkTask Task(int i) => new()
    {
        Id = Guid.NewGuid(),
        TenantId = "acme",
        Type = i % 2 == 0 ? "even" : "odd",
        State = TaskState.Completed,
        Attempt = 1,
        CreatedAt = Now.AddSeconds(-i),
        CompletedAt = Now.AddSeconds(-i).AddMilliseconds(250),
    };

    private static Report Report(DateTimeOffset from, DateTimeOffset to) =>
        new() { Id = "rpt_1", TenantId = "acme", Type = ReportType.AgentActivity, Format = ReportFormat.Csv, From = from, To = to };

    private BuildReportDocument Build()
    {
        var clock = new FakeTimeProvider(Now);
        var analytics = new Mock<IAnalyticsStore>().Object;
        var options = new AnalyticsOptions();
        return new BuildReportDocument(_store.Object, analytics, new QueryAnalyticsSummary(analytics, options, clock), new Core.Usage.QueryUsageHistory(_store.Object, clock), options, clock);
    }
}
