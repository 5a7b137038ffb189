using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Workforce.Functions.Http;

/// <summary>
/// Turns the api/ handlers into request delegates with ASP.NET Core's own minimal-API binder, the one the standalone
/// server maps them with: route values, query, headers, JSON body and services are bound, and a request that cannot
/// be bound is refused, exactly as there. Building a delegate compiles it, so each is built once.
/// </summary>
public sealed class MinimalApiHandlers(IServiceProvider services)
{
    private readonly ConcurrentDictionary<MethodInfo, RequestDelegate> _delegates = new();

    public RequestDelegate For(Delegate handler) =>
        _delegates.GetOrAdd(handler.Method, _ => RequestDelegateFactory.Create(handler, new RequestDelegateFactoryOptions
        {
            ServiceProvider = services,
            // As the server (RouteHandlerOptions.ThrowOnBadRequest): unreadable requests throw, to be refused as problem+json.
            ThrowOnBadRequest = true,
        }).RequestDelegate);
}
