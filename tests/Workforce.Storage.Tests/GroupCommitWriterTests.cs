using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;
using Workforce.Storage.Sqlite;

namespace Workforce.Storage.Tests;

/// <summary>The SQLite writer's group commit, and the writes that may wait for company (heartbeats).</summary>
public sealed class GroupCommitWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "workforce-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Coalesced_writes_that_arrive_within_the_window_share_one_commit_and_are_all_durable_when_answered()
    {
        var (database, commits) = await OpenWithTableAsync(TimeSpan.FromSeconds(2));
        using var _ = database;

        var writes = new List<Task<int>>();
        for (var n = 0; n < 10; n++)
        {
            writes.Add(database.Writer.WriteCoalescedAsync(Insert(n)));
            await Task.Delay(TimeSpan.FromMilliseconds(20)); // long enough for a lone write to commit on its own
        }

        await Task.WhenAll(writes);

        Assert.Equal(new[] { 10 }, commits);
        Assert.Equal(10, CountRows(database));
    }

    [Fact]
    public async Task A_write_that_may_not_wait_takes_the_held_coalesced_writes_into_its_commit()
    {
        var (database, commits) = await OpenWithTableAsync(TimeSpan.FromSeconds(5));
        using var _ = database;

        var held = database.Writer.WriteCoalescedAsync(Insert(1));
        await database.Writer.WriteAsync(Insert(2));

        Assert.True(held.IsCompletedSuccessfully, "the coalesced write was still held after the urgent write committed");
        Assert.Equal(new[] { 2 }, commits);
    }

    [Fact]
    public async Task Shutting_down_commits_the_coalesced_writes_still_held()
    {
        Task<int> held;
        using (var database = Open(TimeSpan.FromSeconds(5)))
        {
            await database.Writer.WriteAsync(CreateTable);
            held = database.Writer.WriteCoalescedAsync(Insert(1));
        }

        Assert.True(held.IsCompletedSuccessfully);
        using var reopened = Open(TimeSpan.Zero);
        Assert.Equal(1, CountRows(reopened));
    }

    [Theory]
    [InlineData("00:00:00", true)]
    [InlineData("00:00:00.100", true)]
    [InlineData("00:00:05", true)]
    [InlineData("00:00:05.001", false)]
    [InlineData("-00:00:00.001", false)]
    public void The_coalescing_window_is_held_to_at_most_five_seconds(string window, bool valid)
    {
        var options = new SqliteStorageOptions { CoalescingWindow = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) };
        var errors = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.All(errors, error => Assert.Contains(nameof(SqliteStorageOptions.CoalescingWindow), error.MemberNames));
    }

    public void Dispose()
    {
        if (!Directory.Exists(_directory))
        {
            return;
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private SqliteDatabase Open(TimeSpan coalescingWindow) =>
        SqliteDatabase.Open(new SqliteStorageOptions { DataDirectory = _directory, CoalescingWindow = coalescingWindow });

    /// <summary>The database with a scratch table, and the size of every commit after the table's.</summary>
    private async Task<(SqliteDatabase Database, ConcurrentQueue<int> Commits)> OpenWithTableAsync(TimeSpan coalescingWindow)
    {
        var database = Open(coalescingWindow);
        await database.Writer.WriteAsync(CreateTable);
        var commits = new ConcurrentQueue<int>();
        database.Writer.Committed += commits.Enqueue;
        return (database, commits);
    }

    private static int CreateTable(CommandCache commands) =>
        commands.Get("CREATE TABLE IF NOT EXISTS scratch (n INTEGER NOT NULL)").ExecuteNonQuery();

    private static Func<CommandCache, int> Insert(int n) => commands =>
    {
        var command = commands.Get("INSERT INTO scratch (n) VALUES ($n)");
        command.Parameters.AddWithValue("$n", n);
        return command.ExecuteNonQuery();
    };

    private static long CountRows(SqliteDatabase database)
    {
        using var reader = database.OpenReader();
        using var count = reader.CreateCommand();
        count.CommandText = "SELECT count(*) FROM scratch";
        return (long)count.ExecuteScalar()!;
    }
}
