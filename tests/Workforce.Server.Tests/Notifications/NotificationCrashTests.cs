using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Workforce.Testing;
using Workforce.Testing.Webhooks;

namespace Workforce.Server.Tests.Notifications;

/// <summary>
/// The real server killed with SIGKILL while the events of committed changes wait in the outbox or their deliveries
/// are in flight: after the restart every event reaches the webhook at least once, signed, and none is made up.
/// </summary>
public sealed class NotificationCrashTests : IDisposable
{
    private const string Key = "notification-crash-key";
    private const int Agents = 40;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-notification-crash-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_hard_kill_loses_no_event_of_a_committed_change()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["WORKFORCE_BOOTSTRAP_API_KEY"] = Key,
            ["Workforce__RateLimit__KeyPermitsPerMinute"] = "0",
            ["Workforce__Notifications__AllowPrivateTargets"] = "true",
            ["Workforce__Notifications__AllowHttpTargets"] = "true",
        };
        // Retries every second for a while, so deliveries that failed before the kill are still being tried after it.
        for (var i = 0; i < 20; i++)
        {
            environment[$"Workforce__Notifications__RetrySchedule__{i}"] = "00:00:01";
        }


        var removed = new List<string>();
        await using (var server = await ServerProcess.StartAsync(environment, cancellation))
        {
            using var tenant = server.CreateClient(Key);
            var endpoint = await ReadAsync(await tenant.PostAsJsonAsync("/api/v1/notifications/endpoints",
                new { channel = "webhook", target = receiver.Url.AbsoluteUri, events = new[] { "agent.removed" } }, cancellation), HttpStatusCode.Created);
            receiver.Trust(endpoint["secret"]!.GetValue<string>());
            // The receiver is down until the restart: every event is waiting in the outbox or for a retry when the server dies.
            receiver.AnswerNext(503, times: 10_000);
            for (var i = 0; i < Agents; i++)
            {
                var agent = await ReadAsync(await tenant.PostAsJsonAsync("/api/v1/agents", new { name = $"agent-{i}" }, cancellation), HttpStatusCode.Created);
                var id = agent["id"]!.GetValue<string>();
                Assert.Equal(HttpStatusCode.NoContent, (await tenant.DeleteAsync(new Uri($"/api/v1/agents/{id}", UriKind.Relative), cancellation)).StatusCode);
                removed.Add(id);
            }

            await server.KillAsync();
        }

        var refusedBeforeKill = receiver.Received.Count;
        receiver.AnswerAllNow();
        await using var restarted = await ServerProcess.StartAsync(environment, cancellation);
        await Eventually(() => AgentsHeardOf(receiver, after: refusedBeforeKill).Count == Agents, TimeSpan.FromSeconds(60));

        Assert.Equal(removed.Order(), AgentsHeardOf(receiver, after: refusedBeforeKill).Order());
        Assert.All(receiver.Received, r => Assert.True(r.Verified));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>The agents whose removal the receiver heard of once it answered again.</summary>
    private static HashSet<string> AgentsHeardOf(WebhookReceiver receiver, int after) =>
        [.. receiver.Received.Skip(after).Where(r => r.Verified).Select(r => r.Json["data"]!["agentId"]!.GetValue<string>())];

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task Eventually(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {within.TotalSeconds} s.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
