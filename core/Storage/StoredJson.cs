using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workforce.Core.Subscriptions;

/// <summary>The stored form of a subscription, the same in every store: camelCase JSON with enum names.</summary>
public static class SubscriptionJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(Subscription subscription) => JsonSerializer.Serialize(subscription, Options);

    public static Subscription Deserialize(string json) =>
        JsonSerializer.Deserialize<Subscription>(json, Options) ?? throw new JsonException("A stored subscription is empty.");
}
