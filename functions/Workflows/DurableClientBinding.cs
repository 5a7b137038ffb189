using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Workforce.Functions.Workflows;

/// <summary>
/// Binds the invocation's [DurableClient] (when its function declares one) into <see cref="InvocationDurableClient"/>
/// before the function runs. The worker creates a function's class after the middleware, so the class and what it
/// depends on can take the client from DI; the binding's conversion is cached, so the function's own parameter gets
/// the same client.
/// </summary>
internal sealed class DurableClientBinding : IFunctionsWorkerMiddleware
{
    private const string BindingType = "durableClient";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.FunctionDefinition.InputBindings.Values.FirstOrDefault(b => b.Type == BindingType) is { } binding
            && (await context.BindInputAsync<DurableTaskClient>(binding)).Value is { } client)
        {
            context.InstanceServices.GetRequiredService<InvocationDurableClient>().Use(client);
        }

        await next(context);
    }
}
