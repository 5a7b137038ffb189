using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;
using Workforce.Durable.Persistence;
using Workforce.Orchestrations.Scheduling;
using Workforce.Storage.Sqlite;

namespace Workforce.Durable.Timers;

/// <summary>
/// Runs the periodic jobs on their NCRONTAB schedules (six fields, seconds first, UTC), the way Azure Functions timer
/// triggers do. Each run's scheduled time is stored, so after downtime the first firing is marked IsPastDue and a
/// missed run happens once on start-up rather than not at all (or once per missed occurrence).
/// </summary>
public sealed partial class JobScheduler(
    SqliteDatabase database,
    IEnumerable<ScheduledJob> jobs,
    IScheduledJobRunner runner,
    TimeProvider clock,
    ILogger<JobScheduler> logger) : BackgroundService
{
    private readonly DurableStore _store = new(database);

    /// <summary>The next time <paramref name="schedule"/> fires strictly after <paramref name="after"/>.</summary>
    public static DateTime NextOccurrence(string schedule, DateTime after) =>
        CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }).GetNextOccurrence(after);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The runs are kept in the embedded engine's tables, which exist before the engine has started only if this
        // creates them (migrations are idempotent).
        await _store.MigrateAsync(stoppingToken);
        await Task.WhenAll(jobs.Select(job => RunAsync(job, stoppingToken)));
    }

    private async Task RunAsync(ScheduledJob job, CancellationToken stoppingToken)
    {
        var last = _store.GetLastJobRun(job.Name);
        if (last is { } lastRun && NextOccurrence(job.Schedule, lastRun) <= Now())
        {
            await FireAsync(job, scheduledAt: Now(), last, pastDue: true, stoppingToken);
            last = Now();
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var next = NextOccurrence(job.Schedule, Now());
            if (!await WaitUntilAsync(next, stoppingToken))
            {
                return;
            }

            await FireAsync(job, next, last, pastDue: false, stoppingToken);
            last = next;
        }
    }

    private async Task FireAsync(ScheduledJob job, DateTime scheduledAt, DateTime? last, bool pastDue, CancellationToken stoppingToken)
    {
        try
        {
            await runner.RunAsync(job, new JobFiring(pastDue, last), stoppingToken);
            await _store.SetLastJobRunAsync(job.Name, scheduledAt);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogJobFailed(logger, e, job.Name);
        }
    }

    /// <returns>False when the host is stopping.</returns>
    private async Task<bool> WaitUntilAsync(DateTime due, CancellationToken stoppingToken)
    {
        var wait = due - Now();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return !stoppingToken.IsCancellationRequested;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled job {Job} failed to start")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string job);
}
