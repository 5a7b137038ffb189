using System.Globalization;
using Workforce.Core.Reports;

namespace Workforce.Reports;

/// <summary>
/// Brings a table cell to the one type that every renderer writes for its column's kind, so that the formats agree on
/// what a value is: text is a <see cref="string"/>, a count a <see cref="long"/>, a number a <see cref="decimal"/>, a
/// time a <see cref="DateTimeOffset"/> in UTC, milliseconds a <see cref="long"/> or, when fractional, a <see cref="double"/>.
/// Queries produce cells of several CLR types (an <c>int</c> count, a <c>double</c> rate, a <c>DateTime</c> from a
/// database), so the common ones are accepted; anything else is a bug in the query, and says which column it is in.
/// </summary>
internal static class CellValues
{
    public static object? Normalise(ReportColumn column, object? value)
    {
        if (value is null)
        {
            return null;
        }

        return column.Kind switch
        {
            ColumnKind.Text => value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture),
            ColumnKind.Count => value switch
            {
                long or int or short or byte or uint or ushort or sbyte => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                _ => throw Mismatch(column, value),
            },
            ColumnKind.Number => value switch
            {
                decimal d => d,
                long or int or short or byte or uint or ushort or sbyte or ulong => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
                double or float => FromFloating(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
                _ => throw Mismatch(column, value),
            },
            ColumnKind.Time => value switch
            {
                DateTimeOffset t => t.ToUniversalTime(),
                // A DateTime without a kind comes from a store that keeps UTC (SQLite text, Table storage).
                DateTime { Kind: DateTimeKind.Unspecified } t => new DateTimeOffset(t, TimeSpan.Zero),
                DateTime t => new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero),
                _ => throw Mismatch(column, value),
            },
            ColumnKind.Milliseconds => value switch
            {
                long or int or short or byte or uint or ushort or sbyte => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                decimal d when decimal.IsInteger(d) && d is >= long.MinValue and <= long.MaxValue => (long)d,
                decimal d => (double)d,
                double or float => Finite(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
                TimeSpan span => Finite(span.TotalMilliseconds),
                _ => throw Mismatch(column, value),
            },
            _ => throw new InvalidOperationException($"Column '{column.Name}' has an unknown kind {column.Kind}."),
        };
    }

    /// <summary>Checks that a row has a cell for every column: a short row would shift every later column in CSV.</summary>
    public static void CheckWidth(string table, IReadOnlyList<ReportColumn> columns, IReadOnlyList<object?> row)
    {
        if (row.Count != columns.Count)
        {
            throw new InvalidOperationException($"A row of '{table}' has {row.Count} cells for {columns.Count} columns.");
        }
    }

    /// <summary>A time as ISO 8601 in UTC with a Z, its fraction only when it has one ("2026-03-01T08:30:00Z").</summary>
    public static string IsoUtc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    // NaN and infinities have no decimal, CSV reader or JSON number: they are no value.
    private static decimal? FromFloating(double value) =>
        double.IsFinite(value) && Math.Abs(value) < 7.9e28 ? (decimal)value : null;

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static InvalidOperationException Mismatch(ReportColumn column, object value) =>
        new($"Column '{column.Name}' is of kind {column.Kind} but holds a {value.GetType().Name}.");
}
