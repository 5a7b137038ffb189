using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workforce.Testing;

namespace Workforce.Server.Tests;

/// <summary>The real server process: what survives a hard kill, and what a newcomer sees on first start.</summary>
public sealed partial class ServerProcessTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-process-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_accepted_task_survives_a_hard_kill()
    {
        var environment = new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["WORKFORCE_BOOTSTRAP_API_KEY"] = "kill-test-key",
            ["Workforce__RateLimit__KeyPermitsPerMinute"] = "0",
        };
        var accepted = new ConcurrentBag<Guid>();
        var cancellation = TestContext.Current.CancellationToken;

        await using (var server = await ServerProcess.StartAsync(environment, cancellation))
        {
            using var client = server.CreateClient("kill-test-key");
            using var stop = new CancellationTokenSource();
            var submitters = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var response = await client.PostAsJsonAsync("/api/v1/tasks", new { type = $"w{worker}-{i}" }, CancellationToken.None);
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            var task = await response.Content.ReadFromJsonAsync<JsonObject>(CancellationToken.None);
                            accepted.Add(task!.Id());
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            }, cancellation)).ToList();

            while (accepted.Count < 500)
            {
                await Task.Delay(10, cancellation);
            }

            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(submitters);
        }

        await using var restarted = await ServerProcess.StartAsync(environment, cancellation);
        using var reader = restarted.CreateClient("kill-test-key");
        var missing = new List<Guid>();
        foreach (var id in accepted)
        {
            if ((await reader.GetAsync(new Uri($"/api/v1/tasks/{id}", UriKind.Relative), cancellation)).StatusCode != HttpStatusCode.OK)
            {
                missing.Add(id);
            }
        }

        Assert.True(missing.Count == 0, $"{missing.Count} of {accepted.Count} accepted tasks were lost: {string.Join(", ", missing.Take(5))}");
    }

    [Fact]
    public async Task The_first_start_prints_a_key_once_and_it_keeps_working()
    {
        var environment = new Dictionary<string, string> { ["WORKFORCE_DATA_DIR"] = _dataDirectory };
        var cancellation = TestContext.Current.CancellationToken;
        string key;
        await using (var first = await ServerProcess.StartAsync(environment, cancellation))
        {
            key = GeneratedKey().Match(first.Output).Value;
            Assert.False(string.IsNullOrEmpty(key), $"No key printed:\n{first.Output}");
        }

        await using var second = await ServerProcess.StartAsync(environment, cancellation);
        using var client = second.CreateClient(key);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/tasks", UriKind.Relative), cancellation)).StatusCode);
        Assert.DoesNotMatch(GeneratedKey(), second.Output);
        Assert.DoesNotContain(key, await File.ReadAllTextAsync(Directory.GetFiles(_dataDirectory, "*.db").Single(), cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_azure_connection_string_stops_the_start_with_what_is_wrong()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["Workforce__Storage__Provider"] = "azure",
            ["Workforce__Storage__ConnectionString"] = "AccountName=acme;AccountKey=not-base64!",
        }, TestContext.Current.CancellationToken));

        Assert.Contains("Workforce cannot start: Workforce:Storage:ConnectionString is not a valid Azure Storage connection string: AccountKey is not base64",
            failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_azure_signalr_connection_string_stops_the_start_with_what_is_wrong()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["Workforce__Realtime__AzureSignalRConnectionString"] = "Endpoint=not a uri;AccessKey=a2V5;Version=1.0;",
        }, TestContext.Current.CancellationToken));

        Assert.Contains("Workforce cannot start: Workforce:Realtime:AzureSignalRConnectionString is not a valid Azure SignalR Service connection string",
            failure.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid value for endpoint property, it must be a valid URI.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_azure_storage_account_stops_the_start_within_seconds()
    {
        var endpoint = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["Workforce__Storage__Provider"] = "azure",
            ["Workforce__Storage__ConnectionString"] =
                $"AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint={endpoint}/t;QueueEndpoint={endpoint}/q;BlobEndpoint={endpoint}/b",
        }, TestContext.Current.CancellationToken));

        Assert.Contains($"Workforce cannot start: Azure Storage at {endpoint} did not answer", failure.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"Reporting the unreachable account took {stopwatch.Elapsed}.");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [GeneratedRegex("wfk_[A-Za-z0-9_-]{43}")]
    private static partial Regex GeneratedKey();
}
