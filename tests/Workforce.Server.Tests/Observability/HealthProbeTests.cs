using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Durable.Runtime;

namespace Workforce.Server.Tests.Observability;

/// <summary>The probes an orchestrator asks: alive (restart me if not) and ready (send me traffic).</summary>
public sealed class HealthProbeTests
{
    [Fact]
    public async Task A_started_server_is_live_and_ready_with_each_check_reported()
    {
        await using var factory = new WorkforceApiFactory();
        using var client = factory.Client(null);

        var live = await ReadAsync(await client.GetAsync("/api/health/live"), HttpStatusCode.OK);
        var ready = await ReadAsync(await client.GetAsync("/api/health/ready"), HttpStatusCode.OK);

        Assert.Equal("healthy", live.Str("status"));
        Assert.Empty(live["checks"]!.AsObject());
        Assert.Equal("healthy", ready.Str("status"));
        Assert.Equal(["sqlite", "durable"], ready["checks"]!.AsObject().Select(check => check.Key));
        Assert.All(ready["checks"]!.AsObject(), check =>
        {
            Assert.Equal("healthy", check.Value!.Str("status"));
            Assert.True(check.Value!["durationMs"]!.GetValue<double>() >= 0);
        });
        Assert.Equal(2, ready["checks"]!["durable"]!["data"]!["queueListeners"]!.GetValue<int>());
        Assert.Equal("healthy", (await ReadAsync(await client.GetAsync("/api/health"), HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task On_azure_storage_readiness_also_asks_the_storage_account()
    {
        await using var factory = new AzuriteApiFactory();
        using var client = factory.Client(null);

        var ready = await ReadAsync(await client.GetAsync("/api/health/ready"), HttpStatusCode.OK);

        Assert.Equal(["sqlite", "durable", "azureStorage"], ready["checks"]!.AsObject().Select(check => check.Key));
        Assert.Equal("healthy", ready["checks"]!["azureStorage"]!.Str("status"));
    }

    [Fact]
    public async Task Readiness_fails_while_the_database_refuses_writes_and_liveness_does_not()
    {
        await using var factory = new WorkforceApiFactory();
        using var client = factory.Client(null);
        await ReadAsync(await client.GetAsync("/api/health/ready"), HttpStatusCode.OK);

        // Another process holding the write lock: every write waits and then fails, as on a read-only file, which
        // chmod cannot give when the tests run as root.
        await using (var holder = new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "workforce.db")};Pooling=False"))
        {
            await holder.OpenAsync(TestContext.Current.CancellationToken);
            await using var take = holder.CreateCommand();
            take.CommandText = "BEGIN IMMEDIATE;";
            await take.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

            var ready = await ReadAsync(await client.GetAsync("/api/health/ready"), HttpStatusCode.ServiceUnavailable);
            var live = await ReadAsync(await client.GetAsync("/api/health/live"), HttpStatusCode.OK);

            Assert.Equal("unhealthy", ready.Str("status"));
            Assert.Equal("unhealthy", ready["checks"]!["sqlite"]!.Str("status"));
            Assert.Contains("locked", ready["checks"]!["sqlite"]!.Str("description"), StringComparison.Ordinal);
            Assert.Equal("healthy", ready["checks"]!["durable"]!.Str("status"));
            Assert.Equal("healthy", live.Str("status"));

            take.CommandText = "ROLLBACK;";
            await take.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal("healthy", (await ReadAsync(await client.GetAsync("/api/health/ready"), HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Readiness_fails_on_a_read_only_database_file()
    {
        await using var factory = new WorkforceApiFactory();
        using var client = factory.Client(null);
        var file = Path.Combine(factory.DataDirectory, "workforce.db");
        await ReadAsync(await client.GetAsync("/api/health/ready"), HttpStatusCode.OK);

        // File modes do not stop root, the immutable attribute does (CI runs as root); the server's own connections
        // keep their handles, so the write-ahead log, where commits go, is made immutable too.
        var asRoot = Environment.UserName == "root";
        string[] files = [file, file + "-wal"];
        if (asRoot)
        {
            Assert.SkipUnless(await ChattrAsync("+i", files), "chattr +i is not supported on this file system");
        }
        else
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        }

        try
        {
            var ready = await ReadAsync(await client.GetAsync("/api/health/ready"), HttpStatusCode.ServiceUnavailable);
            Assert.Equal("unhealthy", ready["checks"]!["sqlite"]!.Str("status"));
            await ReadAsync(await client.GetAsync("/api/health/live"), HttpStatusCode.OK);
        }
        finally
        {
            if (asRoot)
            {
                await ChattrAsync("-i", files);
            }
            else
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }

    private static async Task<bool> ChattrAsync(string change, string[] files)
    {
        try
        {
            using var chattr = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("chattr", [change, .. files]) { RedirectStandardError = true })!;
            await chattr.WaitForExitAsync(TestContext.Current.CancellationToken);
            return chattr.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [Fact]
    public async Task Readiness_fails_once_the_durable_engine_stops()
    {
        await using var factory = new WorkforceApiFactory();
        using var client = factory.Client(null);
        await ReadAsync(await client.GetAsync("/api/health/ready"), HttpStatusCode.OK);

        await factory.Services.GetRequiredService<DurableEngine>().StopAsync(TestContext.Current.CancellationToken);

        var ready = await ReadAsync(await client.GetAsync("/api/health/ready"), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("unhealthy", ready["checks"]!["durable"]!.Str("status"));
        Assert.Equal("healthy", ready["checks"]!["sqlite"]!.Str("status"));
        await ReadAsync(await client.GetAsync("/api/health/live"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_probes_need_no_key_and_are_not_rate_limited()
    {
        await using var factory = new WorkforceApiFactory().With(new Dictionary<string, string?> { ["Workforce:RateLimit:PermitsPerMinute"] = "2" });
        using var client = factory.Client(null);

        for (var i = 0; i < 5; i++)
        {
            await ReadAsync(await client.GetAsync("/api/health/live"), HttpStatusCode.OK);
        }
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!.AsObject();
    }
}
