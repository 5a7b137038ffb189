using System.Reflection;
using System.Text.RegularExpressions;
using Workforce.Core;
using Workforce.Core.Queues;
using Workforce.Orchestrations;
using Workforce.Orchestrations.Scheduling;
using Workforce.Testing;

namespace Workforce.Functions.Tests;

/// <summary>One [Function] of functions/, as its source declares it: its name and the attributes of its parameters.</summary>
internal sealed record FunctionDeclaration(string File, string Name, string Parameters)
{
    public Match Trigger(string attribute) => Regex.Match(Parameters, $@"\[{attribute}(\((?<args>[^\]]*)\))?\]");

    public bool Has(string attribute) => Trigger(attribute).Success;
}

/// <summary>
/// The sources of functions/, read as text because the project cannot be built here. Constants they name
/// (<c>ApiRoutes.Tasks</c>, <c>WorkflowNames.Cleanup</c>, <c>Settings.ServiceBus</c>) are resolved the way the
/// compiler would: from the shared assemblies, or from a <c>const string</c> of the functions sources themselves.
/// </summary>
internal static partial class FunctionSources
{
    private static readonly Type[] SharedConstants = [typeof(ApiRoutes), typeof(WorkQueues), typeof(WorkflowNames), typeof(ScheduledJobs)];

    public static string Directory { get; } = Path.Combine(ServerProcess.RepositoryRoot(), "functions");

    public static IReadOnlyDictionary<string, string> Files { get; } = System.IO.Directory
        .EnumerateFiles(Directory, "*.cs", SearchOption.AllDirectories)
        .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .ToDictionary(path => Path.GetRelativePath(Directory, path), File.ReadAllText);

    /// <summary>Each function, with the text from its [Function] attribute to the next one: its parameters and body.</summary>
    public static IReadOnlyList<FunctionDeclaration> Functions { get; } =
    [
        .. Files.SelectMany(file =>
        {
            var starts = FunctionAttribute().Matches(file.Value);
            return starts.Select((start, i) => new FunctionDeclaration(
                file.Key,
                Resolve(start.Groups["name"].Value),
                file.Value[start.Index..(i + 1 < starts.Count ? starts[i + 1].Index : file.Value.Length)]));
        }),
    ];

    /// <summary>The value of a string literal, <c>nameof(X)</c>, or a constant such as <c>ApiRoutes.Tasks</c>.</summary>
    public static string Resolve(string expression)
    {
        expression = expression.Trim();
        if (expression.StartsWith('"'))
        {
            return expression.Trim('"');
        }

        if (NameOf().Match(expression) is { Success: true } nameOf)
        {
            return nameOf.Groups["name"].Value;
        }

        var dot = expression.LastIndexOf('.');
        var (type, member) = dot < 0 ? ("", expression) : (expression[..dot], expression[(dot + 1)..]);
        var shared = SharedConstants.FirstOrDefault(t => t.Name == type)?.GetField(member, BindingFlags.Public | BindingFlags.Static);
        return shared?.GetRawConstantValue() as string ?? ConstantOf(type, member)
            ?? throw new InvalidOperationException($"functions/ names {expression}, which is neither a shared constant nor a const of its own.");
    }

    /// <summary>A <c>const string</c> declared in a class of the functions sources.</summary>
    public static string? ConstantOf(string type, string member) =>
        Files.Values
            .Select(source => Regex.Match(source, $@"class {type}\b.*?const string {member} = (?<value>[^;]+);", RegexOptions.Singleline))
            .Where(match => match.Success)
            .Select(match => string.Concat(match.Groups["value"].Value.Split('+').Select(Resolve)))
            .FirstOrDefault();

    /// <summary>Whatever follows "Name = " inside an attribute's arguments.</summary>
    public static string Argument(Match attribute, string name) =>
        Regex.Match(attribute.Groups["args"].Value, $@"\b{name}\s*=\s*(?<value>[\w.""]+(\s*\+\s*[\w.""]+)*)") is { Success: true } argument
            ? argument.Groups["value"].Value
            : throw new InvalidOperationException($"The attribute {attribute.Value} has no {name}.");

    [GeneratedRegex(@"\[Function\((?<name>[^)\]]*\)?)\)\]")]
    private static partial Regex FunctionAttribute();

    [GeneratedRegex(@"^nameof\((?<name>\w+)\)$")]
    private static partial Regex NameOf();
}
