using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Workforce.Testing;

namespace Workforce.Server.Tests.Messaging;

/// <summary>The real server process killed with SIGKILL: every sent message, received or not, is delivered after the restart until acknowledged.</summary>
public sealed class MessagingProcessTests : IDisposable
{
    private const string Key = "messaging-kill-key";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-process-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Direct_and_broadcast_messages_are_delivered_at_least_once_across_a_hard_kill()
    {
        var environment = new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["WORKFORCE_BOOTSTRAP_API_KEY"] = Key,
            ["Workforce__RateLimit__KeyPermitsPerMinute"] = "0",
            ["Workforce__Messaging__VisibilityTimeout"] = "00:00:02",
        };
        var cancellation = TestContext.Current.CancellationToken;
        var expected = new Dictionary<Guid, HashSet<Guid>>();
        Guid[] workers;
        string[] workerKeys;
        await using (var server = await ServerProcess.StartAsync(environment, cancellation))
        {
            using var tenant = server.CreateClient(Key);
            var registered = new List<JsonObject>();
            foreach (var name in new[] { "worker-1", "worker-2" })
            {
                registered.Add(await ReadAsync(await tenant.PostAsJsonAsync("/api/v1/agents", new { name, capabilities = new[] { "translate" } }, cancellation), HttpStatusCode.Created));
            }

            workers = [.. registered.Select(agent => agent.Id())];
            workerKeys = [.. registered.Select(agent => agent.Str("agentKey"))];
            foreach (var worker in workers)
            {
                expected[worker] = [];
            }

            for (var i = 0; i < 20; i++)
            {
                var direct = await ReadAsync(await tenant.PostAsJsonAsync($"/api/v1/agents/{workers[i % 2]}/messages", new { type = "task_assignment", payload = new { i } }, cancellation), HttpStatusCode.Created);
                expected[workers[i % 2]].Add(direct.Id());
                var broadcast = await ReadAsync(await tenant.PostAsJsonAsync("/api/v1/messages", new { type = "status_request", to = new { capability = "translate" } }, cancellation), HttpStatusCode.Created);
                foreach (var message in broadcast["items"]!.AsArray())
                {
                    expected[Guid.Parse(message!.Str("receiver"))].Add(message!.Id());
                }
            }

            // The first worker takes a batch and dies with it unacknowledged, as the server does.
            using var first = server.CreateClient(workerKeys[0]);
            var taken = await ReadAsync(await first.GetAsync(new Uri($"/api/v1/agents/{workers[0]}/messages?limit=5", UriKind.Relative), cancellation), HttpStatusCode.OK);
            Assert.Equal(5, taken["items"]!.AsArray().Count);
            await server.KillAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(environment, cancellation);
        for (var w = 0; w < workers.Length; w++)
        {
            using var agent = restarted.CreateClient(workerKeys[w]);
            var received = new HashSet<Guid>();
            var stopwatch = Stopwatch.StartNew();
            while (!received.SetEquals(expected[workers[w]]))
            {
                Assert.True(stopwatch.Elapsed < TimeSpan.FromMinutes(2), $"Worker {w + 1} got {received.Count} of its {expected[workers[w]].Count} messages after the restart.");
                var batch = await ReadAsync(await agent.GetAsync(new Uri($"/api/v1/agents/{workers[w]}/messages?limit=100&waitSeconds=5", UriKind.Relative), cancellation), HttpStatusCode.OK);
                foreach (var message in batch["items"]!.AsArray())
                {
                    var id = message!.Id();
                    Assert.Contains(id, expected[workers[w]]);
                    received.Add(id);
                    var ack = await agent.PostAsync(new Uri($"/api/v1/agents/{workers[w]}/messages/{id}/ack", UriKind.Relative), null, cancellation);
                    Assert.Equal(HttpStatusCode.NoContent, ack.StatusCode);
                }
            }

            Assert.Equal(30, expected[workers[w]].Count); // 10 direct, 20 broadcast
            var after = await ReadAsync(await agent.GetAsync(new Uri($"/api/v1/agents/{workers[w]}/messages?waitSeconds=3", UriKind.Relative), cancellation), HttpStatusCode.OK);
            Assert.Empty(after["items"]!.AsArray());
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }
}
