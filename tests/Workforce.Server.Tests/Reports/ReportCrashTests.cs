using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Workforce.Testing;

namespace Workforce.Server.Tests.Reports;

/// <summary>
/// The real server killed with SIGKILL just after it accepted report requests, their workflows pending or running:
/// after the restart the durable engine replays them and every report becomes ready, with its file.
/// </summary>
public sealed class ReportCrashTests : IDisposable
{
    private const int Reports = 8;
    private const string Key = "report-crash-key";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-report-crash-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Reports_cut_off_by_a_hard_kill_complete_after_the_restart()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var environment = new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["WORKFORCE_BOOTSTRAP_API_KEY"] = Key,
            ["Workforce__RateLimit__KeyPermitsPerMinute"] = "0",
        };
        var ids = new List<string>();
        string lastStatus;
        await using (var server = await ServerProcess.StartAsync(environment, cancellation))
        {
            using var tenant = server.CreateClient(Key);
            var now = DateTimeOffset.UtcNow;
            JsonObject report = [];
            for (var i = 0; i < Reports; i++)
            {
                var response = await tenant.PostAsJsonAsync("/api/v1/reports",
                    new { type = i % 2 == 0 ? "performance" : "health", format = i % 3 == 0 ? "pdf" : "json", from = now.AddDays(-7), to = now }, cancellation);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                report = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellation))!;
                ids.Add(report["id"]!.GetValue<string>());
            }

            // No read between the last answer and the kill: that report's workflow had at most just begun.
            await server.KillAsync();
            lastStatus = report["status"]!.GetValue<string>();
        }

        Assert.Equal("pending", lastStatus);
        await using var restarted = await ServerProcess.StartAsync(environment, cancellation);
        using var client = restarted.CreateClient(Key);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        var statuses = new Dictionary<string, string>();
        while (DateTime.UtcNow < deadline)
        {
            foreach (var id in ids)
            {
                var read = (await client.GetFromJsonAsync<JsonObject>(new Uri($"/api/v1/reports/{id}", UriKind.Relative), cancellation))!;
                statuses[id] = read["status"]!.GetValue<string>();
            }

            if (statuses.Values.All(status => status is "ready" or "failed"))
            {
                break;
            }

            await Task.Delay(250, cancellation);
        }

        Assert.All(ids, id => Assert.Equal("ready", statuses[id]));
        foreach (var id in ids)
        {
            var read = (await client.GetFromJsonAsync<JsonObject>(new Uri($"/api/v1/reports/{id}", UriKind.Relative), cancellation))!;
            var file = await client.GetAsync(new Uri(read["downloadUrl"]!.GetValue<string>()).PathAndQuery, cancellation);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(read["length"]!.GetValue<long>(), (await file.Content.ReadAsByteArrayAsync(cancellation)).LongLength);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
