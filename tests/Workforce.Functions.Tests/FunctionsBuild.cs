using System.Collections;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;

namespace Workforce.Functions.Tests;

/// <summary>One function as the Functions SDK described it to the host in functions.metadata.</summary>
internal sealed record FunctionMetadata(string Name, string EntryPoint, IReadOnlyList<JsonObject> Bindings)
{
    /// <summary>The one binding that starts the function; the SDK names every trigger type <c>…Trigger</c>.</summary>
    public JsonObject Trigger => Bindings.Single(binding => binding.Text("type").EndsWith("Trigger", StringComparison.Ordinal));

    public string TriggerType => Trigger.Text("type");

    public IEnumerable<JsonObject> Of(string type) => Bindings.Where(binding => binding.Text("type") == type);
}

/// <summary>One host extension of extensions.json: the WebJobs startup the Functions host loads, and from where.</summary>
internal sealed record HostExtension(string Name, string TypeName, string HintPath)
{
    /// <summary>The assembly named by <see cref="TypeName"/> ("Namespace.Type, Assembly, Version=…").</summary>
    public string Assembly => TypeName.Split(',')[1].Trim();
}

/// <summary>
/// The build output of functions/, which the test project builds first (it references the project without its
/// assembly): what the SDK generated for the host, and the app's own declarations, read from its assembly.
/// </summary>
internal static class FunctionsBuild
{
    public static string AssemblyPath { get; } = Metadata("FunctionsAssembly");

    public static string OutputDirectory { get; } = Path.GetDirectoryName(AssemblyPath)!;

    /// <summary>Whether functions/ was built against the Service Bus and SignalR stand-ins (-p:FunctionsExtensionStandins=true).</summary>
    public static bool UsesExtensionStandins { get; } = bool.Parse(Metadata("FunctionsExtensionStandins"));

    public static IReadOnlyList<FunctionMetadata> Functions { get; } =
    [
        .. Json("functions.metadata").AsArray().Select(function => function!.AsObject()).Select(function => new FunctionMetadata(
            function.Text("name"),
            function.Text("entryPoint"),
            [.. function["bindings"]!.AsArray().Select(binding => binding!.AsObject())])),
    ];

    public static IReadOnlyList<HostExtension> Extensions { get; } =
    [
        .. Json("extensions.json")["extensions"]!.AsArray().Select(extension => extension!.AsObject())
            .Select(extension => new HostExtension(extension.Text("name"), extension.Text("typeName"), extension.Text("hintPath"))),
    ];

    /// <summary>The constants of <c>Workforce.Functions.Settings</c>, by field name, from the built assembly.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = FromAssembly(Constants);

    /// <summary>
    /// The functions as the worker itself reports them to the host when it indexes them (the SDK's default): the
    /// metadata provider that the SDK's source generator compiled into the app.
    /// </summary>
    public static IReadOnlyList<FunctionMetadata> IndexedByWorker { get; } = FromAssembly(GeneratedMetadata);

    public static JsonNode Json(string file)
    {
        var path = Path.Combine(OutputDirectory, file);
        return File.Exists(path)
            ? JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidOperationException($"{path} is empty.")
            : throw new FileNotFoundException($"The Functions build wrote no {file}; build functions/ first.", path);
    }

    public static string Text(this JsonObject json, string key) =>
        json[key]?.GetValue<string>() ?? throw new KeyNotFoundException($"{json.ToJsonString()} has no {key}.");

    /// <summary>
    /// Reads the built app in a load context of its own, with its dependencies from its output folder, apart from the
    /// tests' assemblies. Only constants and the generated metadata provider are touched: none of the app's code runs.
    /// </summary>
    private static T FromAssembly<T>(Func<Assembly, T> read)
    {
        var context = new OutputLoadContext(AssemblyPath);
        try
        {
            return read(context.LoadFromAssemblyPath(AssemblyPath));
        }
        finally
        {
            context.Unload();
        }
    }

    private static Dictionary<string, string> Constants(Assembly functions) =>
        functions.GetType("Workforce.Functions.Settings", throwOnError: true)!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral)
            .ToDictionary(field => field.Name, field => (string)field.GetRawConstantValue()!);

    /// <summary>Calls <c>GeneratedFunctionMetadataProvider.GetFunctionMetadataAsync</c>, which returns what the generator wrote into it.</summary>
    private static List<FunctionMetadata> GeneratedMetadata(Assembly functions)
    {
        var provider = functions.GetType("Workforce.Functions.GeneratedFunctionMetadataProvider", throwOnError: true)!;
        var metadata = (Task)provider.GetMethod("GetFunctionMetadataAsync")!.Invoke(Activator.CreateInstance(provider), [OutputDirectory])!;
        metadata.GetAwaiter().GetResult();
        var functionsMetadata = (IEnumerable)metadata.GetType().GetProperty(nameof(Task<int>.Result))!.GetValue(metadata)!;
        return
        [
            .. functionsMetadata.Cast<object>().Select(function => new FunctionMetadata(
                Property<string>(function, "Name"),
                Property<string>(function, "EntryPoint"),
                [.. Property<IEnumerable<string>>(function, "RawBindings").Select(binding => JsonNode.Parse(binding)!.AsObject())])),
        ];
    }

    private static T Property<T>(object instance, string name) => (T)instance.GetType().GetProperty(name)!.GetValue(instance)!;

    private sealed class OutputLoadContext(string assemblyPath) : AssemblyLoadContext(nameof(FunctionsBuild), isCollectible: true)
    {
        private readonly AssemblyDependencyResolver _dependencies = new(assemblyPath);

        protected override Assembly? Load(AssemblyName assemblyName) =>
            _dependencies.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    private static string Metadata(string key) =>
        typeof(FunctionsBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value
            ?? throw new InvalidOperationException($"The test project records no {key}.");
}
