using System.Globalization;
using System.Text;
using Azure.Data.Tables;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// Typed properties of an entity as the adapters store them. A null value is an absent property, never a stored null.
/// Numbers are read leniently: the service returns a whole double as a JSON integer, which the SDK reads back as
/// Int32, and an Int64 as the SDK's long.
/// </summary>
internal static class EntityProperties
{
    /// <summary>The largest binary or string property the service stores (64 KiB).</summary>
    public const int MaxPropertyBytes = 64 * 1024;

    public static void Set(this TableEntity entity, string name, string? value) => Put(entity, name, value);

    public static void Set(this TableEntity entity, string name, bool? value) => Put(entity, name, value);

    public static void Set(this TableEntity entity, string name, int? value) => Put(entity, name, value);

    public static void Set(this TableEntity entity, string name, long? value) => Put(entity, name, value);

    public static void Set(this TableEntity entity, string name, double? value) => Put(entity, name, value);

    public static void Set(this TableEntity entity, string name, byte[]? value) => Put(entity, name, value);

    /// <summary>A double, whatever JSON number type the service returned it as.</summary>
    public static double? GetNumber(this TableEntity entity, string name) =>
        entity.TryGetValue(name, out var value) ? value switch
        {
            null => null,
            double d => d,
            int i => i,
            long l => l,
            string s => double.Parse(s, CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"Property {name} of {entity.PartitionKey}/{entity.RowKey} is a {value.GetType().Name}, not a number."),
        } : null;

    /// <summary>
    /// Text of up to 8 × 64 KiB as UTF-8 in binary properties <c>name</c>, <c>name_1</c>, …: binary, because the
    /// service counts a string's size in UTF-16, which would halve what an entity can hold.
    /// </summary>
    public static void SetLargeText(this TableEntity entity, string name, string? text)
    {
        if (text is null)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        for (int offset = 0, chunk = 0; offset < bytes.Length || chunk == 0; offset += MaxPropertyBytes, chunk++)
        {
            entity.Set(ChunkName(name, chunk), bytes[offset..Math.Min(bytes.Length, offset + MaxPropertyBytes)]);
        }
    }

    public static string? GetLargeText(this TableEntity entity, string name)
    {
        if (entity.GetBinary(name) is not { } first)
        {
            return null;
        }

        var bytes = new List<byte>(first);
        for (var chunk = 1; entity.GetBinary(ChunkName(name, chunk)) is { } next; chunk++)
        {
            bytes.AddRange(next);
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static void Put(TableEntity entity, string name, object? value)
    {
        if (value is null)
        {
            entity.Remove(name);
        }
        else
        {
            entity[name] = value;
        }
    }

    private static string ChunkName(string name, int chunk) => chunk == 0 ? name : $"{name}_{chunk}";
}
