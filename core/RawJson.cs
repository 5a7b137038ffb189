using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workforce.Core;

/// <summary>
/// A JSON value kept as its text: payloads and results pass through the platform without being re-shaped,
/// and are written back out byte for byte.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public readonly record struct RawJson(string Text)
{
    public int Utf8Length => Encoding.UTF8.GetByteCount(Text);

    public JsonValueKind Kind
    {
        get
        {
            using var document = JsonDocument.Parse(Text);
            return document.RootElement.ValueKind;
        }
    }

    public override string ToString() => Text;
}

public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(value.Text, skipInputValidation: true);
    }
}
