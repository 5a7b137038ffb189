using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Workforce.Storage.Azure.Rest;

/// <summary>
/// One Table entity in the OData JSON format: keys, ETag and typed properties. 64-bit integers, doubles and binary
/// values carry their <c>@odata.type</c> annotation, because JSON alone would read them back as Int32 or strings.
/// A null value is an absent property.
/// </summary>
internal sealed class TableEntity(string partitionKey, string rowKey)
{
    /// <summary>The largest binary or string property the service stores (64 KiB).</summary>
    public const int MaxPropertyBytes = 64 * 1024;

    private readonly Dictionary<string, (JsonNode Value, string? EdmType)> _properties = new(StringComparer.Ordinal);

    public string PartitionKey { get; } = partitionKey;

    public string RowKey { get; } = rowKey;

    /// <summary>The version read from the service; null for an entity built to be written.</summary>
    public string? ETag { get; private init; }

    public void Set(string name, string? value) => Put(name, value is null ? null : JsonValue.Create(value), null);

    public void Set(string name, bool? value) => Put(name, value is null ? null : JsonValue.Create(value.Value), null);

    public void Set(string name, int? value) => Put(name, value is null ? null : JsonValue.Create(value.Value), null);

    public void Set(string name, long? value) => Put(name, value is null ? null : JsonValue.Create(value.Value.ToString(CultureInfo.InvariantCulture)), "Edm.Int64");

    public void Set(string name, double? value) => Put(name, value is null ? null : JsonValue.Create(value.Value), "Edm.Double");

    public void Set(string name, byte[]? value) => Put(name, value is null ? null : JsonValue.Create(Convert.ToBase64String(value)), "Edm.Binary");

    /// <summary>
    /// Text of up to 8 × 64 KiB as UTF-8 in binary properties <c>name</c>, <c>name_1</c>, …: binary, because the
    /// service counts a string's size in UTF-16, which would halve what an entity can hold.
    /// </summary>
    public void SetLargeText(string name, string? text)
    {
        if (text is null)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        for (int offset = 0, chunk = 0; offset < bytes.Length || chunk == 0; offset += MaxPropertyBytes, chunk++)
        {
            Set(ChunkName(name, chunk), bytes[offset..Math.Min(bytes.Length, offset + MaxPropertyBytes)]);
        }
    }

    public string? GetString(string name) => Get(name)?.GetValue<string>();

    public bool? GetBoolean(string name) => Get(name)?.GetValue<bool>();

    public int? GetInt32(string name) => Get(name) is { } value ? checked((int)Integer(value)) : null;

    public long? GetInt64(string name) => Get(name) is { } value ? Integer(value) : null;

    public double? GetDouble(string name) => Get(name) is { } value ? Number(value) : null;

    public byte[]? GetBytes(string name) => Get(name) is { } value ? Convert.FromBase64String(value.GetValue<string>()) : null;

    public string? GetLargeText(string name)
    {
        if (GetBytes(name) is not { } first)
        {
            return null;
        }

        var bytes = new List<byte>(first);
        for (var chunk = 1; GetBytes(ChunkName(name, chunk)) is { } next; chunk++)
        {
            bytes.AddRange(next);
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject { [nameof(PartitionKey)] = PartitionKey, [nameof(RowKey)] = RowKey };
        foreach (var (name, (value, type)) in _properties)
        {
            if (type is not null)
            {
                json[name + "@odata.type"] = type;
            }

            json[name] = value.DeepClone();
        }

        return json;
    }

    /// <summary>An entity as the service returns it with <c>odata=minimalmetadata</c>.</summary>
    public static TableEntity FromJson(JsonObject json, string? etag = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var entity = new TableEntity(json[nameof(PartitionKey)]!.GetValue<string>(), json[nameof(RowKey)]!.GetValue<string>())
        {
            ETag = etag ?? json["odata.etag"]?.GetValue<string>(),
        };
        foreach (var (name, value) in json)
        {
            if (value is not null && !name.Contains('@', StringComparison.Ordinal) && !name.StartsWith("odata.", StringComparison.Ordinal)
                && name is not (nameof(PartitionKey) or nameof(RowKey) or "Timestamp"))
            {
                entity._properties[name] = (value.DeepClone(), json[name + "@odata.type"]?.GetValue<string>());
            }
        }

        return entity;
    }

    private void Put(string name, JsonNode? value, string? type)
    {
        if (value is null)
        {
            _properties.Remove(name);
        }
        else
        {
            _properties[name] = (value, type);
        }
    }

    private JsonNode? Get(string name) => _properties.TryGetValue(name, out var property) ? property.Value : null;

    private static long Integer(JsonNode value) =>
        value.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? long.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture)
            : value.GetValue<long>();

    /// <summary>Int64 values travel as strings; doubles may be written as integers or as "NaN"/"Infinity".</summary>
    private static double Number(JsonNode value) =>
        value.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? double.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture)
            : value.GetValue<double>();

    private static string ChunkName(string name, int chunk) => chunk == 0 ? name : $"{name}_{chunk}";
}
