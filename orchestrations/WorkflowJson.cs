using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;

namespace Workforce.Orchestrations;

/// <summary>
/// The JSON of workflow inputs, outputs, events and custom status on every host: camelCase, enums by name, so that
/// what operators read in the orchestration views is the API's own vocabulary. The embedded engine and the test host
/// use <see cref="Converter"/>; the Functions app gives the worker a serializer with the same settings.
/// </summary>
public static class WorkflowJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static DataConverter Converter { get; } = new JsonDataConverter(Options);
}
