using System.Globalization;
using System.Text;
using Workforce.Core.Reports;

namespace Workforce.Reports.Pdf;

/// <summary>How values read in the PDF, for a person rather than a program: thousands separators, times in UTC without the T.</summary>
internal static class PdfText
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>What an empty cell or a missing figure shows.</summary>
    public const string Missing = "–";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Culture);

    /// <summary>A cell, already normalised by <see cref="CellValues"/>.</summary>
    public static string Cell(object? value) => value switch
    {
        null => Missing,
        string text => OneLine(text),
        long count => count.ToString("#,##0", Culture),
        decimal number => number.ToString("#,##0.####", Culture),
        double number => number.ToString("#,##0.####", Culture),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Culture),
        _ => Convert.ToString(value, Culture) ?? Missing,
    };

    public static string Figure(ReportFigure figure)
    {
        if (figure.Value is not { } value)
        {
            return Missing;
        }

        var number = value.ToString("#,##0.##", Culture);
        return string.IsNullOrEmpty(figure.Unit) ? number : $"{number} {figure.Unit}";
    }

    public static string Count(long count) => count.ToString("#,##0", Culture);

    /// <summary>"AgentActivity" as "Agent activity".</summary>
    public static string Words<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        var words = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                words.Append(' ').Append(char.ToLowerInvariant(name[i]));
            }
            else
            {
                words.Append(name[i]);
            }
        }

        return words.ToString();
    }

    public static bool IsNumeric(ColumnKind kind) => kind is ColumnKind.Count or ColumnKind.Number or ColumnKind.Milliseconds;

    // A table cell is one line high: line breaks in text would draw over the next row.
    private static string OneLine(string text) =>
        text.AsSpan().IndexOfAny('\r', '\n') < 0 ? text : text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}
