using Microsoft.DurableTask.Client;

namespace Workforce.Functions.Workflows;

/// <summary>
/// The Durable client of the current invocation. Durable Functions hands a client only to a function that binds one
/// with [DurableClient]; <see cref="DurableClientBinding"/> puts it here before the function's class is created, so
/// that everything the function uses gets a <see cref="DurableTaskClient"/> from DI, as on the standalone server.
/// </summary>
public sealed class InvocationDurableClient
{
    private DurableTaskClient? _client;

    public DurableTaskClient Client => _client
        ?? throw new InvalidOperationException("This function binds no Durable client; give it a [DurableClient] DurableTaskClient parameter.");

    public void Use(DurableTaskClient client) => _client = client;
}
