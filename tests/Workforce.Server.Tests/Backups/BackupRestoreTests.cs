using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Workforce.Server.Backups;
using Workforce.Storage.Sqlite;
using Workforce.Testing;

namespace Workforce.Server.Tests.Backups;

/// <summary>
/// The real server process backed up while it accepts tasks, the backup restored with the server's restore command
/// into a fresh data directory, and a server started on it.
/// </summary>
public sealed class BackupRestoreTests : IDisposable
{
    private const string Key = "backup-test-key";
    private const string AdminKey = "backup-admin-key";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "workforce-backup-tests", Guid.NewGuid().ToString("N"));

    /// <summary>This test's own container in the shared Azurite.</summary>
    private readonly string _container = "backups-" + Guid.NewGuid().ToString("N")[..12];

    private string DataDirectory => Path.Combine(_root, "data");

    private string BackupDirectory => Path.Combine(_root, "backups");

    [Theory]
    [InlineData(BackupOptions.Folder)]
    [InlineData(BackupOptions.Blob)]
    public async Task A_backup_taken_under_load_restores_every_task_acknowledged_before_it_none_submitted_after_it_and_the_stored_files(string destination)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var before = new List<Guid>();
        var after = new ConcurrentBag<Guid>();
        var acknowledged = new ConcurrentQueue<Guid>();
        var duringBackup = 0;
        string backupName;
        var environment = Environment(DataDirectory, destination);
        Uri reportLink;
        byte[] reportFile;

        await using (var server = await ServerProcess.StartAsync(environment, cancellation))
        {
            using var tenant = server.CreateClient(Key);
            using var admin = server.CreateClient(AdminKey);
            // A stored file, and a download link for it signed with the key kept in the data directory.
            (reportLink, reportFile) = await ReadyReportAsync(tenant, cancellation);
            using var stop = new CancellationTokenSource();
            var backupState = 0; // 0 not started, 1 running, 2 done
            var submitters = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    // Read before sending: a task sent once the backup has answered was committed after its snapshot.
                    var sentAfterBackup = Volatile.Read(ref backupState) == 2;
                    var response = await tenant.PostAsJsonAsync("/api/v1/tasks", new { type = $"b{worker}-{i}" }, CancellationToken.None);
                    if (response.StatusCode != HttpStatusCode.Accepted)
                    {
                        continue;
                    }

                    var id = (await response.Content.ReadFromJsonAsync<JsonObject>(CancellationToken.None))!.Id();
                    acknowledged.Enqueue(id);
                    if (sentAfterBackup)
                    {
                        after.Add(id);
                    }
                    else if (Volatile.Read(ref backupState) == 1)
                    {
                        Interlocked.Increment(ref duringBackup);
                    }
                }
            }, cancellation)).ToList();

            while (acknowledged.Count < 300)
            {
                await Task.Delay(10, cancellation);
            }

            // Everything acknowledged by now was acknowledged before the backup started.
            before.AddRange(acknowledged);
            Volatile.Write(ref backupState, 1);
            var backup = await Read(await admin.PostAsync(new Uri("/api/v1/admin/backups", UriKind.Relative), null, cancellation), HttpStatusCode.Created);
            Volatile.Write(ref backupState, 2);
            backupName = backup["name"]!.GetValue<string>();
            Assert.Matches(@"^workforce-\d{8}T\d{6}Z\.tar\.gz$", backupName);

            while (after.Count < 50)
            {
                await Task.Delay(10, cancellation);
            }

            await stop.CancelAsync();
            await Task.WhenAll(submitters);

            var listed = await Read(await admin.GetAsync(new Uri("/api/v1/admin/backups", UriKind.Relative), cancellation), HttpStatusCode.OK);
            Assert.Equal([backupName], listed["items"]!.AsArray().Select(b => b!["name"]!.GetValue<string>()));
        }

        var restoredDirectory = Path.Combine(_root, "restored");
        (int ExitCode, string Output) restore;
        if (destination == BackupOptions.Folder)
        {
            // The backup folder holds the backup alone: no partial file beside it.
            Assert.Equal([backupName], Directory.EnumerateFiles(BackupDirectory).Select(Path.GetFileName));
            restore = await RunRestoreAsync(environment, "--from", Path.Combine(BackupDirectory, backupName), "--data-dir", restoredDirectory);
        }
        else
        {
            Assert.False(Directory.Exists(BackupDirectory));
            restore = await RunRestoreAsync(environment, "--blob", backupName, "--data-dir", restoredDirectory);
        }

        Assert.True(restore.ExitCode == 0, restore.Output);

        await using var restored = await ServerProcess.StartAsync(Environment(restoredDirectory, destination), cancellation);
        using var client = restored.CreateClient(Key);
        // The file is back, and so is the key: the link handed out before the backup still downloads it.
        using (var anonymous = restored.CreateClient(null))
        {
            var download = await anonymous.GetAsync(new Uri(reportLink.PathAndQuery, UriKind.Relative), cancellation);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(reportFile, await download.Content.ReadAsByteArrayAsync(cancellation));
        }

        var missing = new List<Guid>();
        foreach (var id in before)
        {
            var response = await client.GetAsync(new Uri($"/api/v1/tasks/{id}", UriKind.Relative), cancellation);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                missing.Add(id);
            }
        }

        Assert.True(missing.Count == 0, $"{missing.Count} of {before.Count} tasks acknowledged before the backup are missing after the restore, e.g. {missing.FirstOrDefault()}");

        // A snapshot of one moment: what was sent after the backup had answered is not in it.
        foreach (var id in after)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/api/v1/tasks/{id}", UriKind.Relative), cancellation)).StatusCode);
        }

        TestContext.Current.SendDiagnosticMessage($"{before.Count} tasks before the backup, {duringBackup} acknowledged while it ran, {after.Count} after");
    }

    [Fact]
    public async Task Restore_refuses_a_non_empty_data_directory_without_force_and_a_damaged_backup_always()
    {
        var backup = CreateBackup();
        var target = Path.Combine(_root, "in-use");
        Directory.CreateDirectory(target);
        var database = Path.Combine(target, "workforce.db");
        await File.WriteAllTextAsync(database, "the database in use", TestContext.Current.CancellationToken);

        var refused = await RunRestoreAsync("--from", backup, "--data-dir", target);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"Refusing to restore into {target}: the directory is not empty", refused.Output, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Output, StringComparison.Ordinal);
        Assert.Equal("the database in use", await File.ReadAllTextAsync(database, TestContext.Current.CancellationToken));

        var damaged = Path.Combine(_root, "damaged.db");
        var bytes = await File.ReadAllBytesAsync(backup, TestContext.Current.CancellationToken);
        Array.Clear(bytes, 4096, 4096); // a whole page of the schema's tables zeroed
        await File.WriteAllBytesAsync(damaged, bytes, TestContext.Current.CancellationToken);
        var corrupt = await RunRestoreAsync("--from", damaged, "--data-dir", target, "--force");
        Assert.Equal(1, corrupt.ExitCode);
        Assert.Contains("Refusing to restore: ", corrupt.Output, StringComparison.Ordinal);
        Assert.Equal("the database in use", await File.ReadAllTextAsync(database, TestContext.Current.CancellationToken));

        await File.WriteAllTextAsync(database + "-wal", "the replaced database's log", TestContext.Current.CancellationToken);
        var forced = await RunRestoreAsync("--from", backup, "--data-dir", target, "--force");
        Assert.True(forced.ExitCode == 0, forced.Output);
        Assert.Null(SqliteBackup.Check(database));
        Assert.False(File.Exists(database + "-wal"), "The replaced database's write-ahead log would be replayed onto the restored one.");
    }

    [Fact]
    public async Task Restore_explains_itself_with_help_and_on_a_usage_mistake()
    {
        var help = await RunRestoreAsync("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("restore (--from <backup> | --blob <name>) [--data-dir <dir>] [--force]", help.Output, StringComparison.Ordinal);

        var mistake = await RunRestoreAsync("--data-dir", _root);
        Assert.Equal(2, mistake.ExitCode);
        Assert.Contains("--from is required", mistake.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BackupOptions.Folder)]
    [InlineData(BackupOptions.Blob)]
    public async Task Scheduled_backups_run_on_their_schedule_only_the_newest_kept_number_stay_and_tenants_may_not_touch_them(string destination)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var environment = Environment(DataDirectory, destination);
        environment["Workforce__Backup__Schedule"] = "* * * * * *";
        environment["Workforce__Backup__Keep"] = "3";
        await using var server = await ServerProcess.StartAsync(environment, cancellation);
        using var admin = server.CreateClient(AdminKey);
        using var tenant = server.CreateClient(Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.PostAsync(new Uri("/api/v1/admin/backups", UriKind.Relative), null, cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync(new Uri("/api/v1/admin/backups", UriKind.Relative), cancellation)).StatusCode);

        var seen = new HashSet<string>();
        var watch = Stopwatch.StartNew();
        List<string> listed;
        do
        {
            await Task.Delay(250, cancellation);
            var list = await Read(await admin.GetAsync(new Uri("/api/v1/admin/backups", UriKind.Relative), cancellation), HttpStatusCode.OK);
            listed = [.. list["items"]!.AsArray().Select(b => b!["name"]!.GetValue<string>())];
            seen.UnionWith(listed);
            // A new backup is listed a moment before the oldest goes (it is complete first, then the old one is deleted).
            Assert.True(listed.Count <= 4, $"More backups than kept: {string.Join(", ", listed)}");
        }
        while (seen.Count < 6 && watch.Elapsed < TimeSpan.FromSeconds(60));

        Assert.True(seen.Count >= 6, $"The scheduled backup ran {seen.Count} times in a minute:\n{server.Output}");
        Assert.InRange(listed.Count, 3, 4);
        Assert.Equal(listed.Order(StringComparer.Ordinal).Reverse(), listed); // newest first
        Assert.Equal(seen.Order(StringComparer.Ordinal).TakeLast(listed.Count).Reverse(), listed.Where(seen.Contains));
    }

    [Fact]
    public async Task A_truncated_archive_is_refused_and_the_data_directory_left_as_it_was()
    {
        var cancellation = TestContext.Current.CancellationToken;
        string archive;
        await using (var server = await ServerProcess.StartAsync(Environment(DataDirectory), cancellation))
        {
            using var admin = server.CreateClient(AdminKey);
            var backup = await Read(await admin.PostAsync(new Uri("/api/v1/admin/backups", UriKind.Relative), null, cancellation), HttpStatusCode.Created);
            archive = Path.Combine(BackupDirectory, backup.Str("name"));
        }

        var bytes = await File.ReadAllBytesAsync(archive, cancellation);
        var truncated = Path.Combine(_root, "workforce-20260101T000000Z.tar.gz");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)], cancellation);
        var target = Path.Combine(_root, "target");

        var refused = await RunRestoreAsync("--from", truncated, "--data-dir", target);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Refusing to restore: ", refused.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    [Theory]
    [InlineData("Workforce__Backup__Container", "Backups!", "Workforce:Backup:Container 'Backups!' is not a container name")]
    [InlineData("Workforce__Backup__ConnectionString", "AccountName=x", "Workforce:Backup:ConnectionString is not a valid Azure Storage connection string")]
    [InlineData("Workforce__Backup__AccountUrl", "https://example.blob.core.windows.net", "set either Workforce:Backup:ConnectionString or Workforce:Backup:AccountUrl")]
    public async Task A_blob_destination_that_is_not_usable_stops_the_server_at_start_up_with_the_reason(string setting, string value, string reason)
    {
        var environment = Environment(DataDirectory);
        environment["Workforce__Backup__Destination"] = BackupOptions.Blob;
        environment["Workforce__Backup__ConnectionString"] = "UseDevelopmentStorage=true";
        environment[setting] = value;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(environment, TestContext.Current.CancellationToken));

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retention_keeps_the_newest_kept_number_drops_those_older_than_the_kept_days_and_never_the_newest()
    {
        var now = new DateTimeOffset(2026, 6, 10, 3, 0, 0, TimeSpan.Zero);
        var backups = Enumerable.Range(0, 6).Select(day => BackupFile.From(BackupFile.NameFor(now.AddDays(-2 * day)), 1)!).ToList();

        Assert.Equal(backups[3..], BackupRetention.Expired(backups, new BackupOptions { Keep = 3 }, now));
        Assert.Equal(backups[3..], BackupRetention.Expired(backups, new BackupOptions { Keep = 10, KeepDays = 5 }, now));
        Assert.Equal(backups[2..], BackupRetention.Expired(backups, new BackupOptions { Keep = 10, KeepDays = 3 }, now));
        Assert.Empty(BackupRetention.Expired(backups[5..], new BackupOptions { Keep = 1, KeepDays = 1 }, now));
        Assert.NotNull(BackupFile.From("workforce-20260101T030000Z.db", 1)); // a backup of an earlier version counts too
    }

    [Fact]
    public async Task A_schedule_that_is_not_ncrontab_stops_the_server_at_start_up_with_the_reason()
    {
        var environment = Environment(DataDirectory);
        environment["Workforce__Backup__Schedule"] = "daily at three";

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(environment, TestContext.Current.CancellationToken));

        Assert.Contains("'daily at three' is not an NCRONTAB schedule", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (System.Environment.GetEnvironmentVariable(Azurite.ConnectionStringVariable) is { Length: > 0 } azurite)
        {
            new Azure.Storage.Blobs.BlobContainerClient(azurite, _container, new Azure.Storage.Blobs.BlobClientOptions(BackupContainer.ServiceVersion)).DeleteIfExists();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private Dictionary<string, string> Environment(string dataDirectory, string destination = BackupOptions.Folder)
    {
        var environment = new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = dataDirectory,
            ["WORKFORCE_BOOTSTRAP_API_KEY"] = Key,
            ["WORKFORCE_ADMIN_KEY"] = AdminKey,
            ["Workforce__RateLimit__KeyPermitsPerMinute"] = "0",
            ["Workforce__Backup__Directory"] = BackupDirectory,
        };
        if (destination == BackupOptions.Blob)
        {
            environment["Workforce__Backup__Destination"] = BackupOptions.Blob;
            environment["Workforce__Backup__ConnectionString"] = Azurite.ConnectionString;
            environment["Workforce__Backup__Container"] = _container;
        }

        return environment;
    }

    /// <summary>A report made and ready: its download link and its content.</summary>
    private static async Task<(Uri Link, byte[] Content)> ReadyReportAsync(HttpClient tenant, CancellationToken cancellation)
    {
        var now = DateTimeOffset.UtcNow;
        var requested = await Read(await tenant.PostAsJsonAsync("/api/v1/reports", new { type = "health", format = "pdf", from = now.AddDays(-1), to = now }, cancellation),
            HttpStatusCode.Accepted);
        var watch = Stopwatch.StartNew();
        JsonObject report;
        do
        {
            await Task.Delay(100, cancellation);
            report = await Read(await tenant.GetAsync(new Uri($"/api/v1/reports/{requested.Str("id")}", UriKind.Relative), cancellation), HttpStatusCode.OK);
        }
        while (report.Str("status") is not ("ready" or "failed") && watch.Elapsed < TimeSpan.FromSeconds(90));

        Assert.True(report.Str("status") == "ready", report.ToJsonString());
        var link = new Uri(report.Str("downloadUrl"));
        return (link, await tenant.GetByteArrayAsync(new Uri(link.PathAndQuery, UriKind.Relative), cancellation));
    }

    /// <summary>A backup of a freshly migrated database, taken as the server takes them.</summary>
    private string CreateBackup()
    {
        var path = Path.Combine(_root, "source-backup.db");
        using (var database = SqliteDatabase.Open(new SqliteStorageOptions { DataDirectory = Path.Combine(_root, "source") }))
        {
            SqliteBackup.Snapshot(database, path);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return path;
    }

    /// <summary>The server's restore command, run as an operator runs it.</summary>
    private static Task<(int ExitCode, string Output)> RunRestoreAsync(params string[] arguments) => RunRestoreAsync(new Dictionary<string, string>(), arguments);

    private static async Task<(int ExitCode, string Output)> RunRestoreAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment.Where(e => e.Key.StartsWith("Workforce__Backup__", StringComparison.Ordinal)))
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(ServerProcess.ServerAssembly());
        start.ArgumentList.Add("restore");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }

    private static async Task<JsonObject> Read(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }
}
