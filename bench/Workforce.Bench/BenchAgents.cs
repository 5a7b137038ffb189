using System.Text;
using System.Text.Json;

namespace Workforce.Bench;

/// <summary>The agents a scenario registers beforehand with the tenant key, named bench-0, bench-1, …</summary>
internal static class BenchAgents
{
    /// <summary>Registers <paramref name="count"/> agents of <paramref name="capacity"/> (agent i with capabilities(i), else none): their ids and agent keys.</summary>
    public static async Task<List<(Guid Id, string Key)>> RegisterAsync(Uri server, string tenantKey, int count, int capacity, Func<int, string[]>? capabilities = null)
    {
        var agents = new List<(Guid Id, string Key)>();
        using var setup = await RawHttpConnection.OpenAsync(server);
        for (var i = 0; i < count; i++)
        {
            var caps = JsonSerializer.Serialize(capabilities?.Invoke(i) ?? []);
            var response = await setup.SendAsync("POST", "/api/v1/agents", tenantKey, Encoding.UTF8.GetBytes($$"""{"name":"bench-{{i}}","capacity":{{capacity}},"capabilities":{{caps}}}"""));
            using var agent = JsonDocument.Parse(response.Body);
            agents.Add((agent.RootElement.GetProperty("id").GetGuid(), agent.RootElement.GetProperty("agentKey").GetString()!));
        }

        return agents;
    }
}
