using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Workforce.Core.Analytics;
using Workforce.Core.Tenants;
using Workforce.Storage.Sqlite;
using Workforce.Testing;

namespace Workforce.Server.Tests.Forecasting;

/// <summary>
/// The real server killed with SIGKILL in the middle of a retraining of many series: the versions in service before
/// the kill stay in service, and after the restart the durable workflow trains the rest.
/// </summary>
public sealed class RetrainingCrashTests : IDisposable
{
    private const string Key = "retraining-crash-key";
    private const int CapabilitySets = 40;
    private const int Hours = 1_300;

    /// <summary>Submissions, completions and busy agent-hours of each set, and of the totals.</summary>
    private const int TrainableSeries = 3 * (CapabilitySets + 1);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-retraining-crash-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_retraining_cut_off_by_a_hard_kill_keeps_what_was_in_service_and_finishes_after_the_restart()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await SeedHistoryAsync();
        var environment = new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["WORKFORCE_BOOTSTRAP_API_KEY"] = Key,
            ["Workforce__RateLimit__KeyPermitsPerMinute"] = "0",
            // Every series in one run: with 5 metrics a set, 41 sets are past the default budget of 200.
            ["Workforce__Forecasting__MaxSeriesPerRun"] = "1000",
        };

        IReadOnlyList<TrainedSeries> atKill;
        await using (var server = await ServerProcess.StartAsync(environment, cancellation))
        {
            using var tenant = server.CreateClient(Key);
            Assert.Equal(HttpStatusCode.Accepted, (await tenant.PostAsync(new Uri("/api/v1/models/retrain", UriKind.Relative), null, cancellation)).StatusCode);
            atKill = await PollAsync(tenant, trained => trained.Count > 0, cancellation);
            await server.KillAsync();
        }

        Assert.InRange(atKill.Count, 1, TrainableSeries - 1);
        await using var restarted = await ServerProcess.StartAsync(environment, cancellation);
        using var client = restarted.CreateClient(Key);
        var after = (await PollAsync(client, trained => trained.Count == TrainableSeries, cancellation)).ToDictionary(series => series.Name);

        Assert.Equal(TrainableSeries, after.Count);
        Assert.All(atKill.Where(series => series.InService is not null), series => Assert.Equal(series.InService, after[series.Name].InService));
    }

    private sealed record TrainedSeries(string Name, int? InService);

    /// <summary>
    /// The series trained so far, once <paramref name="enough"/> holds (or after two minutes); on every read, each
    /// series' latest version is one that can be read whole.
    /// </summary>
    private static async Task<IReadOnlyList<TrainedSeries>> PollAsync(HttpClient client, Func<IReadOnlyList<TrainedSeries>, bool> enough, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var listed = (await client.GetFromJsonAsync<JsonObject>(new Uri("/api/v1/models", UriKind.Relative), cancellation))!["items"]!.AsArray();
            Assert.All(listed, models => Assert.Contains(
                models!["versions"]!.AsArray(), version => version!["version"]!.GetValue<int>() == models["latestVersion"]!.GetValue<int>()));
            var trained = listed.Select(models => new TrainedSeries(models!["series"]!.GetValue<string>(), models["inService"]?.GetValue<int>())).ToList();
            if (enough(trained) || DateTime.UtcNow > deadline)
            {
                return trained;
            }

            await Task.Delay(50, cancellation);
        }
    }

    /// <summary>
    /// Hours of the default tenant's tasks in the server's database before it starts, as its own flushes would have
    /// written them: a daily cycle per capability set, at a level of its own.
    /// </summary>
    private async Task SeedHistoryAsync()
    {
        using var database = SqliteDatabase.Open(new SqliteStorageOptions { DataDirectory = _dataDirectory });
        var store = new SqliteAnalyticsStore(database);
        var end = AnalyticsRollup.StartOf(RollupResolution.Hour, DateTimeOffset.UtcNow);
        var random = new Random(11);
        var series = Enumerable.Range(0, CapabilitySets).Select(set => AnalyticsSeries.CapabilitySet([$"skill-{set:00}"])).Prepend(AnalyticsSeries.Tasks).ToList();
        var rollups = new List<AnalyticsRollup>();
        for (var i = 0; i < Hours; i++)
        {
            var at = end.AddHours(i - Hours);
            foreach (var (name, level) in series.Select((name, index) => (name, 50.0 + index)))
            {
                var completed = (long)(level * (1 + (0.5 * Math.Sin(2 * Math.PI * at.Hour / 24))) + (random.NextDouble() * 5));
                var values = new RollupValues();
                values.Increment(AnalyticsValues.Submitted, completed + 1);
                values.Increment(AnalyticsValues.Completed, completed);
                values.Increment(AnalyticsValues.BusyMs, completed * 30_000);
                rollups.Add(new AnalyticsRollup(name, RollupResolution.Hour, at, values));
            }
        }

        await store.ApplyAsync(new AnalyticsBatch(Tenant.DefaultId, "seed", rollups, []));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
