using Azure.Data.Tables;

namespace Workforce.Storage.Azure.Tables;

/// <summary>OData filter expressions for Table queries; the SDK quotes the literals (<see cref="TableClient.CreateQueryFilter(FormattableString)"/>).</summary>
internal static class TableFilter
{
    public static string Partition(string partitionKey) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");

    /// <summary>Rows of one partition whose key starts with <paramref name="prefix"/>.</summary>
    public static string RowsStartingWith(string partitionKey, string prefix) => RowsBetween(partitionKey, prefix, AfterPrefix(prefix));

    /// <summary>Rows of one partition from <paramref name="from"/> on that still start with <paramref name="prefix"/>.</summary>
    public static string RowsFrom(string partitionKey, string prefix, string from) => RowsBetween(partitionKey, from, AfterPrefix(prefix));

    /// <summary>Rows of one partition from <paramref name="from"/> up to, not including, <paramref name="before"/>.</summary>
    public static string RowsBetween(string partitionKey, string from, string before) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {from} and RowKey lt {before}");

    public static string And(string filter, string condition) => $"{filter} and {condition}";

    public static string Equal(string property, string value) => $"{property} eq {Literal(value)}";

    public static string Equal(string property, int value) => $"{property} eq {Literal(value)}";

    /// <summary>Int64 literals carry the L suffix, or the service compares them as Int32 and matches nothing.</summary>
    public static string Below(string property, long value) => $"{property} lt {Literal(value)}";

    public static string AtMost(string property, long value) => $"{property} le {Literal(value)}";

    public static string NotEqual(string property, int value) => $"{property} ne {Literal(value)}";

    private static string Literal<T>(T value) => TableClient.CreateQueryFilter($"{value}");

    /// <summary>The smallest key greater than every key with the prefix: its last character, incremented.</summary>
    private static string AfterPrefix(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}
