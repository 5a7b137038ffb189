using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workforce.Core.Storage;

/// <summary>
/// The stored form of the documents the stores keep whole (subscriptions, invoices), the same in every store:
/// camelCase JSON with enum names. Non-finite numbers are kept as "NaN" or "Infinity" (a model's metric can be one).
/// </summary>
public static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T document) => JsonSerializer.Serialize(document, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"A stored {typeof(T).Name} is empty.");
}
