namespace Workforce.Core.Reports;

/// <summary>What a report is about.</summary>
public enum ReportType
{
    Health,
    Billing,
    Performance,
    AgentActivity,
}

/// <summary>The file formats a report is written in.</summary>
public enum ReportFormat
{
    Pdf,
    Csv,
    Json,
}

/// <summary>
/// A report's content, built by one query and written by every format's renderer: headline figures, charts over
/// time, small supporting tables, and the primary table that carries the data itself. The primary table's rows are
/// streamed and can be read only once, so a report over millions of rows keeps memory bounded; CSV holds the primary
/// table alone, PDF and JSON hold everything.
/// </summary>
public sealed record ReportDocument(
    string Title,
    string TenantId,
    ReportType Type,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset GeneratedAt,
    IReadOnlyDictionary<string, string> Filters,
    IReadOnlyList<ReportFigure> Figures,
    IReadOnlyList<ReportChart> Charts,
    IReadOnlyList<ReportTable> SupportingTables,
    StreamedTable Primary);

/// <summary>A headline number: "Tasks completed: 12,345", "Error rate: 0.4 %".</summary>
/// <param name="Unit">Shown after the value ("%", "ms", "USD"); null for a plain count.</param>
public sealed record ReportFigure(string Label, decimal? Value, string? Unit = null);

/// <summary>Lines over time sharing one unit; a null value is a gap (no data in that step).</summary>
public sealed record ReportChart(string Title, string Unit, IReadOnlyList<ChartSeries> Series);

public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);

public sealed record ChartPoint(DateTimeOffset At, double? Value);

public enum ColumnKind
{
    Text,

    /// <summary>A whole number (<see cref="long"/>).</summary>
    Count,

    /// <summary>A <see cref="decimal"/>: money, rates, percentages.</summary>
    Number,

    /// <summary>A <see cref="DateTimeOffset"/>, written in UTC (ISO 8601 in CSV and JSON).</summary>
    Time,

    /// <summary>Milliseconds, as a number.</summary>
    Milliseconds,
}

/// <param name="Name">The machine name: a CSV header and a JSON property (camelCase).</param>
/// <param name="Label">What a person reads in the PDF.</param>
public sealed record ReportColumn(string Name, string Label, ColumnKind Kind);

/// <summary>A small table, held in memory. Each row has one value per column, of the column's kind, or null.</summary>
public sealed record ReportTable(string Title, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>The primary table: rows arrive as the query reads them; enumerate them once.</summary>
public sealed record StreamedTable(string Title, IReadOnlyList<ReportColumn> Columns, IAsyncEnumerable<IReadOnlyList<object?>> Rows);

/// <summary>Writes a report in one format. Renderers stream: they must not buffer the primary table.</summary>
public interface IReportRenderer
{
    ReportFormat Format { get; }

    /// <summary>The MIME type of what it writes, e.g. <c>application/pdf</c>.</summary>
    string ContentType { get; }

    /// <summary>The file extension without the dot, e.g. <c>pdf</c>.</summary>
    string Extension { get; }

    Task RenderAsync(ReportDocument document, Stream output, CancellationToken cancellationToken = default);
}
