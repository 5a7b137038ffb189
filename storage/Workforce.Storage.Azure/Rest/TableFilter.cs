using System.Globalization;

namespace Workforce.Storage.Azure.Rest;

/// <summary>OData filter expressions for Table queries, with literals quoted the way the service parses them.</summary>
internal static class TableFilter
{
    public static string Partition(string partitionKey) => $"PartitionKey eq {Quote(partitionKey)}";

    /// <summary>Rows of one partition whose key starts with <paramref name="prefix"/>.</summary>
    public static string RowsStartingWith(string partitionKey, string prefix) =>
        $"{Partition(partitionKey)} and RowKey ge {Quote(prefix)} and RowKey lt {Quote(AfterPrefix(prefix))}";

    /// <summary>Rows of one partition from <paramref name="from"/> on that still start with <paramref name="prefix"/>.</summary>
    public static string RowsFrom(string partitionKey, string prefix, string from) =>
        $"{Partition(partitionKey)} and RowKey ge {Quote(from)} and RowKey lt {Quote(AfterPrefix(prefix))}";

    /// <summary>Rows of one partition from <paramref name="from"/> up to, not including, <paramref name="before"/>.</summary>
    public static string RowsBetween(string partitionKey, string from, string before) =>
        $"{Partition(partitionKey)} and RowKey ge {Quote(from)} and RowKey lt {Quote(before)}";

    public static string And(string filter, string condition) => $"{filter} and {condition}";

    public static string Equal(string property, string value) => $"{property} eq {Quote(value)}";

    public static string Equal(string property, int value) => $"{property} eq {value.ToString(CultureInfo.InvariantCulture)}";

    public static string Below(string property, long value) => $"{property} lt {value.ToString(CultureInfo.InvariantCulture)}L";

    public static string AtMost(string property, long value) => $"{property} le {value.ToString(CultureInfo.InvariantCulture)}L";

    public static string NotEqual(string property, int value) => $"{property} ne {value.ToString(CultureInfo.InvariantCulture)}";

    private static string Quote(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

    /// <summary>The smallest key greater than every key with the prefix: its last character, incremented.</summary>
    private static string AfterPrefix(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}
