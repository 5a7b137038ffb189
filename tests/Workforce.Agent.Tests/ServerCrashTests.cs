using System.Collections.Concurrent;
using Workforce.Testing;

namespace Workforce.Agent.Tests;

/// <summary>
/// The real server as a process, killed with SIGKILL while SDK agents work and started again on the same data and
/// address: the agents reconnect by themselves and every task ends completed, its handler having finished it.
/// </summary>
public sealed class ServerCrashTests : IDisposable
{
    private const int Tasks = 40;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-agent-crash-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Agents_ride_out_a_hard_kill_of_the_server_and_every_task_completes()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var environment = new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["WORKFORCE_BOOTSTRAP_API_KEY"] = AgentServer.TenantKey,
            ["Workforce__RateLimit__KeyPermitsPerMinute"] = "0",
            ["Workforce__Tasks__Retry__BaseDelay"] = "00:00:00.200",
            // A task whose report the crash swallowed and whose agent then lost it comes back within seconds.
            ["Workforce__Tasks__AssignmentTimeout"] = "00:00:05",
            ["Workforce__Lifecycle__IdleRecheck"] = "00:00:02",
        };
        var completions = new ConcurrentDictionary<Guid, int>();
        var server = await ServerProcess.StartAsync(environment, cancellation);
        var address = server.Address;
        using var stop = new CancellationTokenSource();
        var agents = new List<AgentHost>();
        var runs = new List<Task>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var options = AgentServer.FastOptions(3);
                options.ServerUrl = address;
                var agent = new AgentHost(options).Handle<AgentHostTests.Echo, string>("work", async (input, context, token) =>
                {
                    await Task.Delay(50, token);
                    completions.AddOrUpdate(context.TaskId, 1, (_, n) => n + 1);
                    return input.Text;
                });
                agents.Add(agent);
                runs.Add(agent.RunAsync(stop.Token));
            }

            var ids = new List<Guid>();
            using (var tenant = server.CreateClient(AgentServer.TenantKey))
            {
                for (var i = 0; i < Tasks; i++)
                {
                    ids.Add(await tenant.SubmitAsync("work", new { text = $"{i}" }, maxRetries: 5, timeoutSeconds: 30));
                }
            }

            await TenantCalls.EventuallyAsync(() => Task.FromResult(completions.Count >= Tasks / 4), "a quarter of the tasks done before the kill");
            await server.KillAsync();
            await server.DisposeAsync();
            await Task.Delay(1000, cancellation); // the agents meet a server that is away
            server = await ServerProcess.StartAsync(environment, address, cancellation);

            using var reader = server.CreateClient(AgentServer.TenantKey);
            foreach (var id in ids)
            {
                var task = await reader.WaitForStateAsync(id, "completed", "failed");
                Assert.Equal("completed", task.Str("state"));
            }

            // At least once: a handler whose report the crash swallowed may have run again, but none was skipped.
            Assert.All(ids, id => Assert.True(completions.GetValueOrDefault(id) >= 1, $"task {id} completed without its handler finishing"));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(runs);
            agents.ForEach(agent => agent.Dispose());
            await server.DisposeAsync();
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
