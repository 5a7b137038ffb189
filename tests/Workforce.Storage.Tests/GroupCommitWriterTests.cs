using System.Collections.Concurrent;
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
        using var database = Open(TimeSpan.FromSeconds(2));
        var commits = RecordCommits(database);
        await database.Writer.WriteAsync(CreateTable);
        commits.Clear();

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
        using var database = Open(TimeSpan.FromSeconds(5));
        var commits = RecordCommits(database);
        await database.Writer.WriteAsync(CreateTable);
        commits.Clear();

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

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private SqliteDatabase Open(TimeSpan coalescingWindow) =>
        SqliteDatabase.Open(new SqliteStorageOptions { DataDirectory = _directory, CoalescingWindow = coalescingWindow });

    private static ConcurrentQueue<int> RecordCommits(SqliteDatabase database)
    {
        var commits = new ConcurrentQueue<int>();
        database.Writer.Committed += commits.Enqueue;
        return commits;
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
