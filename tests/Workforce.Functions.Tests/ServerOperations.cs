using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Api.Auth;
using Workforce.Core;

namespace Workforce.Functions.Tests;

/// <summary>
/// A v1 operation as the standalone server maps it: method, route relative to <c>/api</c>, whether it takes a JSON
/// body, and whether only the platform admin key may call it.
/// </summary>
internal sealed record ServerOperation(string Method, string Route, bool TakesJson, bool AdminOnly);

/// <summary>The v1 operations of the running standalone server, which the Functions app must serve alike.</summary>
internal static class ServerOperations
{
    private static readonly Lazy<IReadOnlyList<ServerOperation>> Mapped = new(Read);

    public static IReadOnlyList<ServerOperation> All => Mapped.Value;

    private static IReadOnlyList<ServerOperation> Read()
    {
        var data = Path.Combine(Path.GetTempPath(), "workforce-functions-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using var server = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host.UseSetting("Workforce:Storage:Sqlite:DataDirectory", data));
            var prefix = $"/{ApiRoutes.Prefix}/";
            return
            [
                .. server.Services.GetRequiredService<EndpointDataSource>().Endpoints
                    .OfType<RouteEndpoint>()
                    .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith(prefix + "v1/", StringComparison.Ordinal) == true)
                    .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(method => new ServerOperation(
                        method,
                        endpoint.RoutePattern.RawText![prefix.Length..],
                        endpoint.Metadata.GetOrderedMetadata<IAcceptsMetadata>().Any(a => a.ContentTypes.Contains("application/json")),
                        endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == CallerClaims.AdminPolicy))))
                    .Distinct(),
            ];
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
