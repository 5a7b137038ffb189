using Workforce.Core;

namespace Workforce.Server;

public sealed record HealthResponse(string Status);

internal static class HealthApi
{
    public static RouteGroupBuilder MapHealthApi(this RouteGroupBuilder api)
    {
        api.MapGet(ApiRoutes.Health, () => TypedResults.Ok(new HealthResponse("healthy")))
            .AllowAnonymous()
            .WithTags("Health")
            .WithSummary("Liveness probe (no key needed)");
        return api;
    }
}
