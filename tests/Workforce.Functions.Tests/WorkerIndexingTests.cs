using System.Text.Json.Nodes;

namespace Workforce.Functions.Tests;

/// <summary>
/// The SDK describes the app twice: functions.metadata, written at build time from the compiled assembly, and the
/// metadata provider its source generator compiles in, which the worker reports to the host when it indexes its own
/// functions (the default). Built on the extension stand-ins, both must still see the same functions and bindings.
/// </summary>
public sealed class WorkerIndexingTests
{
    [Fact]
    public void The_worker_reports_the_functions_and_bindings_that_functions_metadata_describes()
    {
        Assert.NotEmpty(FunctionsBuild.IndexedByWorker);
        Assert.Equal(Describe(FunctionsBuild.Functions), Describe(FunctionsBuild.IndexedByWorker));
    }

    /// <summary>A line per function: its name, entry point and bindings, each binding as JSON with sorted keys.</summary>
    private static List<string> Describe(IEnumerable<FunctionMetadata> functions) =>
    [
        .. functions
            .Select(f => $"{f.Name} {f.EntryPoint} {string.Join(" ", f.Bindings.Select(b => Canonical(b)!.ToJsonString()).Order(StringComparer.Ordinal))}")
            .Order(StringComparer.Ordinal),
    ];

    /// <remarks>The build-time writer gives every input binding a <c>properties</c> object, empty or not; the generator only a non-empty one.</remarks>
    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject json => new JsonObject(json
            .Where(pair => !(pair.Key == "properties" && pair.Value is JsonObject { Count: 0 }))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => KeyValuePair.Create(pair.Key, Canonical(pair.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        _ => node?.DeepClone(),
    };
}
