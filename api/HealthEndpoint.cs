using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Workforce.Api;

public sealed record HealthResponse(string Status);

/// <summary>The liveness probe; it needs no key.</summary>
public static class HealthEndpoint
{
    public static Ok<HealthResponse> Check() => TypedResults.Ok(new HealthResponse("healthy"));
}
