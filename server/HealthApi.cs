using Workforce.Api;
using Workforce.Core;

namespace Workforce.Server;

internal static class HealthApi
{
    public static RouteGroupBuilder MapHealthApi(this RouteGroupBuilder api)
    {
        api.MapGet(ApiRoutes.Health, HealthEndpoint.Check)
            .AllowAnonymous()
            .WithTags("Health")
            .WithSummary("Liveness probe (no key needed)");
        return api;
    }
}
