using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Durable.Timers;
using Workforce.Orchestrations.Scheduling;
using Workforce.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Workforce.Durable.Tests;

public sealed class JobSchedulerTests : IAsyncDisposable
{
    private static readonly ScheduledJob EveryThirtySeconds = new("Probe", "*/30 * * * * *", "Probe", "platform:probe");

    private readonly SqliteStorageOptions _storage = new() { DataDirectory = Path.Combine(Path.GetTempPath(), "workforce-jobs-tests", Guid.NewGuid().ToString("N")) };
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 1, 12, 0, 10, TimeSpan.Zero));
    private readonly RecordingRunner _runner = new();
    private SqliteDatabase? _database;
    private JobScheduler? _scheduler;

    [Fact]
    public void The_shared_schedules_fire_when_their_declarations_say()
    {
        var at = new DateTime(2026, 6, 1, 12, 0, 10, DateTimeKind.Utc);

        Assert.Equal(at.AddSeconds(20), JobScheduler.NextOccurrence(ScheduledJobs.AgentLivenessSchedule, at));
        Assert.Equal(new DateTime(2026, 6, 1, 12, 5, 0, DateTimeKind.Utc), JobScheduler.NextOccurrence(ScheduledJobs.CleanupSchedule, at));
    }

    [Fact]
    public async Task A_job_fires_at_each_occurrence_of_its_schedule_and_not_at_start_up()
    {
        await StartAsync();
        Assert.Empty(_runner.Runs);

        await AdvanceUntil(() => _runner.Runs.Count == 1);
        await AdvanceUntil(() => _runner.Runs.Count == 2);

        Assert.All(_runner.Runs, run => Assert.False(run.IsPastDue));
        Assert.Null(_runner.Runs[0].LastRun);
        Assert.Equal(new DateTime(2026, 6, 1, 12, 0, 30, DateTimeKind.Utc), _runner.Runs[1].LastRun);
    }

    [Fact]
    public async Task A_run_missed_while_the_server_was_down_happens_once_at_start_up_marked_past_due()
    {
        await StartAsync();
        await AdvanceUntil(() => _runner.Runs.Count == 1);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        await StopAsync();

        _clock.Advance(TimeSpan.FromMinutes(10));
        await StartAsync();

        await Eventually(() => _runner.Runs.Count == 2);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(2, _runner.Runs.Count);
        Assert.True(_runner.Runs[1].IsPastDue);
        Assert.Equal(new DateTime(2026, 6, 1, 12, 0, 30, DateTimeKind.Utc), _runner.Runs[1].LastRun);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_storage.DataDirectory))
        {
            Directory.Delete(_storage.DataDirectory, recursive: true);
        }
    }

    private async Task StartAsync()
    {
        _database = SqliteDatabase.Open(_storage);
        _scheduler = new JobScheduler(_database, [EveryThirtySeconds], _runner, _clock, NullLogger<JobScheduler>.Instance);
        await _scheduler.StartAsync(CancellationToken.None);
    }

    private async Task StopAsync()
    {
        if (_scheduler is not null)
        {
            await _scheduler.StopAsync(CancellationToken.None);
            _scheduler.Dispose();
            _scheduler = null;
        }

        _database?.Dispose();
        _database = null;
    }

    /// <summary>Moves the clock a second at a time, giving the scheduler real time to react, until the condition holds.</summary>
    private async Task AdvanceUntil(Func<bool> condition)
    {
        for (var second = 0; second < 120 && !condition(); second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }

    private sealed class RecordingRunner : IScheduledJobRunner
    {
        public List<JobFiring> Runs { get; } = [];

        public Task RunAsync(ScheduledJob job, JobFiring firing, CancellationToken cancellationToken = default)
        {
            lock (Runs)
            {
                Runs.Add(firing);
            }

            return Task.CompletedTask;
        }
    }
}
