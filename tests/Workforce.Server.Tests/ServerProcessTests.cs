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
