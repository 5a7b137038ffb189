using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workforce.Testing;

namespace Workforce.Functions.Tests;

/// <summary>The deployment's files, read from the repository: JSON parsed, Bicep and YAML as text (no tools for them here).</summary>
internal static partial class DeploymentFiles
{
    public static string Root { get; } = ServerProcess.RepositoryRoot();

    public static string Text(string path) => File.ReadAllText(Path.Combine(Root, path));

    public static JsonNode Json(string path) => JsonNode.Parse(Text(path)) ?? throw new InvalidOperationException($"{path} is empty.");

    /// <summary>The app settings the Bicep gives the function app: the keys of its <c>appsettings</c> config block.</summary>
    public static IReadOnlyDictionary<string, string> AzureAppSettings { get; } = AppSettings();

    /// <summary>The settings local.settings.sample.json gives a local run.</summary>
    public static IReadOnlyDictionary<string, string> LocalSettings { get; } =
        Json("local.settings.sample.json")["Values"]!.AsObject().ToDictionary(value => value.Key, value => value.Value!.GetValue<string>());

    /// <summary>Whether a setting is given as itself (a connection string) or through its <c>__</c> properties (identity).</summary>
    public static bool Configures(this IReadOnlyDictionary<string, string> settings, string name)
    {
        var key = name.Replace(":", "__", StringComparison.Ordinal);
        return settings.Keys.Any(k => k == key || k.StartsWith(key + "__", StringComparison.Ordinal));
    }

    private static Dictionary<string, string> AppSettings()
    {
        var bicep = Text("infra/app/function-app.bicep");
        var block = AppSettingsBlock().Match(bicep);
        return block.Success
            ? SettingLine().Matches(block.Groups["settings"].Value).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value.Trim())
            : throw new InvalidOperationException("infra/app/function-app.bicep has no appsettings block.");
    }

    [GeneratedRegex(@"name: 'appsettings'\s*properties: \{(?<settings>.*?)\n    \}", RegexOptions.Singleline)]
    private static partial Regex AppSettingsBlock();

    [GeneratedRegex(@"^\s*(?<key>[A-Za-z_][\w]*): (?<value>.+)$", RegexOptions.Multiline)]
    private static partial Regex SettingLine();
}
