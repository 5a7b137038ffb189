using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Workforce.Server.Http;

/// <summary>A route whose 200 answer takes one of several shapes, chosen by its query (a v1 body, or a batch body).</summary>
internal sealed record ResponseUnion(IReadOnlyList<Type> Types);

/// <summary>
/// Documents a 200 answer that is one of several bodies as <c>oneOf</c> in the OpenAPI document: the API explorer
/// keeps one body per status code, so the route says which bodies it may answer with and this fills in the rest.
/// </summary>
internal static class ResponseUnions
{
    public static RouteHandlerBuilder WithResponseUnion<TFirst, TSecond>(this RouteHandlerBuilder route) =>
        route.WithMetadata(new ResponseUnion([typeof(TFirst), typeof(TSecond)]));

    public static async Task DocumentAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ResponseUnion>().FirstOrDefault() is not { } union
            || operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse ok)
        {
            return;
        }

        var schemas = new List<IOpenApiSchema>();
        foreach (var type in union.Types)
        {
            schemas.Add(await context.GetOrCreateSchemaAsync(type, cancellationToken: cancellationToken));
        }

        ok.Content ??= new Dictionary<string, OpenApiMediaType>();
        ok.Content["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchema { OneOf = schemas } };
    }
}
