using System.Collections.Frozen;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Workforce.Functions.Http;

/// <summary>
/// The route template each HTTP function's trigger declares, by the function's method name: what the server's audit
/// middleware reads off the matched endpoint, which a Functions invocation does not carry. Read once, by reflection.
/// </summary>
internal static class HttpFunctionRoutes
{
    private static readonly FrozenDictionary<string, string> Routes = typeof(HttpFunctionRoutes).Assembly.GetTypes()
        .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Where(method => method.GetCustomAttribute<FunctionAttribute>() is not null)
        .Select(method => (method.Name, Trigger: method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(t => t is not null)))
        .Where(function => function.Trigger?.Route is not null)
        .GroupBy(function => function.Name, StringComparer.Ordinal)
        .ToFrozenDictionary(group => group.Key, group => group.First().Trigger!.Route!, StringComparer.Ordinal);

    public static string? Of(string function) => Routes.GetValueOrDefault(function);
}
