using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Analytics;
using Workforce.Core.Billing;
using Workforce.Core.Notifications;
using Workforce.Core.Plans;
using Workforce.Core.Reports;
using Workforce.Core.Retention;
using Workforce.Core.Scheduling;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;
using Workforce.Reports;
using Workforce.Storage.Sqlite;
using TaskOptions = Workforce.Core.Tasks.TaskOptions;

namespace Workforce.Bench;

/// <summary>One report generated: how long it took, how big the file is, and the process's memory while it ran.</summary>
internal sealed record ReportResult(
    string Report, string Format, double Seconds, long Bytes, long? Rows, double BaselineWorkingSetMb, double PeakWorkingSetMb, double PeakManagedMb, string Notes);

/// <summary>What the reports scenario seeded and generated.</summary>
internal sealed record ReportsOutcome(long AnalyticsTasks, long StoredTasks, int Agents, TimeSpan AnalyticsSeeding, TimeSpan StoreSeeding, TimeSpan Seeding, IReadOnlyList<ReportResult> Reports);

/// <summary>
/// Report generation over a month of history, in this process on its own SQLite file, composed as the server
/// composes core, storage and the renderers. It seeds <see cref="BenchOptions.ReportDays"/> days of one tenant at
/// <see cref="BenchOptions.TasksPerDay"/> tasks a day as the platform records them: every task's transitions
/// (submit, assign, start, complete or fail) reach the <see cref="AnalyticsRecorder"/>, whose rollups are written
/// per simulated hour with <see cref="IAnalyticsStore.ApplyAsync"/>, with the tenant's gauges sampled per minute.
/// <see cref="BenchOptions.StoredTasks"/> of those tasks also go through the task store (transactions of about
/// 1,000 tasks, with <see cref="TaskTransactions"/>), which publishes their transitions to the recorder itself, as
/// it does in the server; the others are handed to the recorder directly. Then it generates the performance and
/// agent-activity reports over the whole range with <see cref="GenerateReport"/>, the report workflow's activity.
/// </summary>
internal sealed class ReportScenarios(BenchOptions options)
{
    private const string TenantId = "bench";
    private const int AgentCount = 8;
    private const int AgentCapacity = 4;
    private const int TasksPerTransaction = 1_000;

    /// <summary>Types with their typical run time (ms) and share of final failures: a mix an operator would recognise.</summary>
    private static readonly (string Type, double RunMs, double FailureRate)[] Types =
        [("email.send", 300, 0.01), ("image.resize", 1_500, 0.02), ("invoice.render", 4_000, 0.03), ("data.sync", 12_000, 0.05)];

    /// <summary>Critical 5 %, high 20 %, medium 50 %, low 25 %.</summary>
    private static readonly (TaskPriority Priority, double Upto)[] Priorities =
        [(TaskPriority.Critical, 0.05), (TaskPriority.High, 0.25), (TaskPriority.Medium, 0.75), (TaskPriority.Low, 1.0)];

    private readonly Random _random = new(15);

    public async Task<ReportsOutcome> RunAsync()
    {
        var storage = new SqliteStorageOptions { DataDirectory = Path.Combine(Path.GetTempPath(), "workforce-bench", Guid.NewGuid().ToString("N")) };
        var reportOptions = new ReportOptions();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IOptions<SqliteStorageOptions>>(Options.Create(storage));
        services.AddSingleton(new TaskOptions());
        services.AddSingleton(new LeaseOptions());
        services.AddSingleton(new AgentOptions());
        // Nothing is purged: no cleanup runs in this process, and the retention says so too.
        services.AddSingleton(new RetentionOptions { FinishedTasks = TimeSpan.FromDays(3650), FinishedOrchestrations = TimeSpan.FromDays(3650) });
        services.AddSingleton(new BillingOptions());
        services.AddSingleton(new DunningOptions());
        services.AddSingleton(new NotificationOptions());
        services.AddSingleton(new AnalyticsOptions());
        services.AddSingleton(reportOptions);
        services.AddWorkforceCore();
        services.AddSqliteStorage();
        // As the server does: one setting for the PDF's row cap, Workforce:Reports:PdfRowLimit.
        services.AddReportRenderers(pdf => pdf.MaxPrimaryRows = reportOptions.PdfRowLimit);
        var provider = services.BuildServiceProvider();
        try
        {
            var to = Hour(DateTimeOffset.UtcNow);
            var from = to - TimeSpan.FromDays(options.ReportDays);
            var directory = provider.GetRequiredService<ITenantDirectory>();
            await directory.TryCreateTenantAsync(new Tenant(TenantId, TenantId, from - TimeSpan.FromDays(1)), ApiKeys.Hash("bench-key"));
            var agents = new Guid[AgentCount];
            for (var i = 0; i < agents.Length; i++)
            {
                var registered = await provider.GetRequiredService<RegisterAgent>()
                    .ExecuteAsync(Caller.Tenant(TenantId), new RegisterAgentCommand($"bench-agent-{i + 1}", Capacity: AgentCapacity));
                agents[i] = registered.Value?.Agent.Id ?? throw new InvalidOperationException($"Registering an agent failed: {registered.Failure?.Detail}");
            }

            var (seeding, analyticsTime, storeTime) = await SeedAsync(provider, agents, from);
            var results = new List<ReportResult>();
            foreach (var (type, format) in new[]
            {
                (ReportType.Performance, ReportFormat.Pdf), (ReportType.Performance, ReportFormat.Csv), (ReportType.Performance, ReportFormat.Json),
                (ReportType.AgentActivity, ReportFormat.Csv), (ReportType.AgentActivity, ReportFormat.Json), (ReportType.AgentActivity, ReportFormat.Pdf),
            })
            {
                results.Add(await GenerateAsync(provider, storage, type, format, from, to, reportOptions));
            }

            return new(options.ReportDays * (long)options.TasksPerDay, Math.Min(options.StoredTasks, options.ReportDays * (long)options.TasksPerDay), AgentCount,
                analyticsTime, storeTime, seeding, results);
        }
        finally
        {
            await provider.DisposeAsync();
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(storage.DataDirectory))
            {
                Directory.Delete(storage.DataDirectory, recursive: true);
            }
        }
    }

    private async Task<(TimeSpan Total, TimeSpan Analytics, TimeSpan Store)> SeedAsync(IServiceProvider provider, Guid[] agents, DateTimeOffset from)
    {
        var store = provider.GetRequiredService<IWorkforceStore>();
        var recorder = provider.GetRequiredService<AnalyticsRecorder>();
        var analytics = provider.GetRequiredService<IAnalyticsStore>();
        var total = options.ReportDays * (long)options.TasksPerDay;
        var toStore = Math.Min(options.StoredTasks, total);
        var spacing = TimeSpan.TicksPerDay / options.TasksPerDay;
        var node = Guid.NewGuid().ToString("N")[..12];
        var sequence = 0L;
        var stored = new List<WorkTask[]>(TasksPerTransaction);
        var direct = new List<TaskTransition>(4 * TasksPerTransaction);
        long seeded = 0, storedCount = 0;
        var storeWatch = new Stopwatch();
        var analyticsWatch = new Stopwatch();
        var started = Stopwatch.GetTimestamp();
        Console.Error.WriteLine($"  reports  seeding {total:N0} tasks over {options.ReportDays} days ({toStore:N0} through the task store), {agents.Length} agents");
        using var progress = new Timer(_ => Console.Error.WriteLine(
            $"  reports  seeding    {Interlocked.Read(ref seeded),12:N0} tasks, {Interlocked.Read(ref storedCount),10:N0} stored, {Stopwatch.GetElapsedTime(started).TotalSeconds,5:0} s"),
            null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

        async Task WriteStoredAsync()
        {
            if (stored.Count == 0)
            {
                return;
            }

            storeWatch.Start();
            await store.TransactAsync(TenantId, tx =>
            {
                foreach (var steps in stored)
                {
                    tx.Submit(steps[0]);
                    for (var i = 1; i < steps.Length; i++)
                    {
                        tx.Move(steps[i - 1], steps[i]);
                    }
                }

                return ValueTask.FromResult(0);
            });
            storeWatch.Stop();
            Interlocked.Add(ref storedCount, stored.Count);
            stored.Clear();
        }

        async Task FlushHourAsync(DateTimeOffset hour)
        {
            await WriteStoredAsync();
            analyticsWatch.Start();
            recorder.OnCommitted(direct);
            direct.Clear();
            for (var minute = hour; minute < hour.AddHours(1); minute = minute.AddMinutes(1))
            {
                // Each submission is an API call, and so is each agent's lease and completion.
                recorder.RecordApiCalls(TenantId, 3 * options.TasksPerDay / 1_440, minute);
            }

            foreach (var batch in recorder.Drain(() => $"{node}-{++sequence}"))
            {
                await analytics.ApplyAsync(batch);
            }

            await analytics.ApplyAsync(Gauges(hour));
            analyticsWatch.Stop();
        }

        var nextHour = from.AddHours(1);
        for (var g = 0L; g < total; g++)
        {
            var submittedAt = from.AddTicks(g * spacing);
            while (submittedAt >= nextHour)
            {
                await FlushHourAsync(nextHour.AddHours(-1));
                nextHour = nextHour.AddHours(1);
            }

            var (type, runMs, failureRate) = Types[_random.Next(Types.Length)];
            var roll = _random.NextDouble();
            var priority = Priorities.First(p => roll < p.Upto).Priority;
            var agent = agents[_random.Next(agents.Length)];
            var assignedAt = submittedAt + TimeSpan.FromMilliseconds(Exponential(priority == TaskPriority.Low ? 800 : 150));
            var runningAt = assignedAt + TimeSpan.FromMilliseconds(5 + _random.Next(30));
            var finishedAt = runningAt + TimeSpan.FromMilliseconds(Math.Min(LogNormal(runMs), 300_000));
            var fails = _random.NextDouble() < failureRate;

            // Spread the stored tasks evenly through the history: the g-th task is stored when the running share steps up.
            if ((g + 1) * toStore / total > g * toStore / total)
            {
                var submitted = new WorkTask
                {
                    Id = Guid.CreateVersion7(submittedAt), TenantId = TenantId, Type = type, Priority = priority, TimeoutSeconds = 600,
                    CreatedAt = submittedAt, UpdatedAt = submittedAt,
                };
                var assigned = submitted.AssignTo(agent, assignedAt);
                var running = assigned.Start(runningAt);
                var finished = fails ? running.Fail("The agent reported an error.", retryable: false, TimeSpan.Zero, finishedAt) : running.Complete(null, finishedAt);
                stored.Add([submitted, assigned, running, finished]);
                if (stored.Count == TasksPerTransaction)
                {
                    await WriteStoredAsync();
                }
            }
            else
            {
                var id = Guid.CreateVersion7(submittedAt);
                direct.Add(new TaskTransition(TenantId, id, 1, null, TaskState.Pending, submittedAt, null, 0, null) { Type = type, Priority = priority });
                direct.Add(new TaskTransition(TenantId, id, 2, TaskState.Pending, TaskState.Assigned, assignedAt, agent, 1, null)
                    { Type = type, Priority = priority, InStateFor = assignedAt - submittedAt });
                direct.Add(new TaskTransition(TenantId, id, 3, TaskState.Assigned, TaskState.Running, runningAt, agent, 1, null)
                    { Type = type, Priority = priority, InStateFor = runningAt - assignedAt });
                direct.Add(new TaskTransition(TenantId, id, 4, TaskState.Running, fails ? TaskState.Failed : TaskState.Completed, finishedAt, agent, 1,
                    fails ? "The agent reported an error." : null) { Type = type, Priority = priority, InStateFor = finishedAt - runningAt });
                if (direct.Count >= 4 * TasksPerTransaction)
                {
                    analyticsWatch.Start();
                    recorder.OnCommitted(direct);
                    analyticsWatch.Stop();
                    direct.Clear();
                }
            }

            seeded = g + 1;
        }

        await FlushHourAsync(nextHour.AddHours(-1));
        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.Error.WriteLine($"  reports  seeded {total:N0} tasks in {elapsed.TotalSeconds:0} s; the task store took {storeWatch.Elapsed.TotalSeconds:0} s " +
            $"for {storedCount:N0} ({storedCount / Math.Max(storeWatch.Elapsed.TotalSeconds, 0.001):N0} tasks/s)");
        return (elapsed, analyticsWatch.Elapsed, storeWatch.Elapsed);
    }

    /// <summary>
    /// An hour of the tenant's gauges as <see cref="SampleTenantGauges"/> takes them each minute (it reads the clock, so
    /// it cannot sample the past): queue depth per priority, agents online, slots busy and available; one batch per hour.
    /// </summary>
    private AnalyticsBatch Gauges(DateTimeOffset hour)
    {
        var rollups = new List<AnalyticsRollup>(61);
        var hourly = new RollupValues();
        for (var minute = hour; minute < hour.AddHours(1); minute = minute.AddMinutes(1))
        {
            var values = new RollupValues();
            var busy = _random.Next(AgentCount * AgentCapacity / 2, AgentCount * AgentCapacity + 1);
            foreach (var target in new[] { values, hourly })
            {
                foreach (var (priority, _) in Priorities)
                {
                    target.Sample(AnalyticsValues.QueueDepth(priority), _random.Next(priority == TaskPriority.Low ? 40 : 10));
                }

                target.Sample(AnalyticsValues.AgentsOnline, AgentCount);
                target.Sample(AnalyticsValues.SlotsBusy, busy);
                target.Sample(AnalyticsValues.SlotsCapacity, AgentCount * AgentCapacity);
            }

            rollups.Add(new AnalyticsRollup(AnalyticsSeries.Gauges, RollupResolution.Minute, minute, values));
        }

        rollups.Add(new AnalyticsRollup(AnalyticsSeries.Gauges, RollupResolution.Hour, hour, hourly));
        return new AnalyticsBatch(TenantId, $"gauges:{hour:yyyyMMddHH}", rollups, []);
    }

    private static async Task<ReportResult> GenerateAsync(
        IServiceProvider provider, SqliteStorageOptions storage, ReportType type, ReportFormat format, DateTimeOffset from, DateTimeOffset to, ReportOptions reportOptions)
    {
        var report = new Report
        {
            Id = Report.NewId(), TenantId = TenantId, Type = type, Format = format, From = from, To = to, CreatedAt = DateTimeOffset.UtcNow,
        };
        await provider.GetRequiredService<IReportStore>().SaveAsync(report);
        var generate = provider.GetRequiredService<GenerateReport>();
        var name = $"{ReportTypes.Name(type)} {ReportTypes.Name(format)}";
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = Environment.WorkingSet / 1_048_576d;
        Console.Error.WriteLine($"  reports  generating {name} ({baseline:0} MB working set before)");
        Report? done;
        var started = Stopwatch.GetTimestamp();
        using (var peak = new MemoryPeak())
        {
            using var progress = new Timer(_ => Console.Error.WriteLine(
                $"  reports  {name,-20} {Stopwatch.GetElapsedTime(started).TotalSeconds,5:0} s, working set {Environment.WorkingSet / 1_048_576d,6:0} MB, peak {peak.WorkingSetMb,6:0} MB"),
                null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
            done = await generate.ExecuteAsync(TenantId, report.Id);
            var elapsed = Stopwatch.GetElapsedTime(started);
            peak.Dispose();
            if (done is not { Status: ReportStatus.Ready })
            {
                throw new InvalidOperationException($"The {name} report ended {done?.Status}: {done?.Error}");
            }

            // CSV is a header and one line per row: counting them checks the report held every task.
            var rows = format == ReportFormat.Csv ? await CountLinesAsync(storage, report.Id) - 1 : (long?)null;
            var notes = type == ReportType.AgentActivity && format == ReportFormat.Pdf ? $"PDF capped at {reportOptions.PdfRowLimit:N0} rows"
                : type == ReportType.Performance && format == ReportFormat.Json ? await FiguresAsync(storage, report.Id, "Tasks submitted", "Tasks completed", "Tasks failed")
                : "";
            Console.Error.WriteLine($"  reports  {name} ready in {elapsed.TotalSeconds:0.0} s: {done.Length:N0} bytes, peak working set {peak.WorkingSetMb:0} MB");
            return new(ReportTypes.Title(type), ReportTypes.Name(format), elapsed.TotalSeconds, done.Length ?? 0, rows, baseline, peak.WorkingSetMb, peak.ManagedMb, notes);
        }
    }

    /// <summary>The report's own totals, to hold against what was seeded: the rollups count every task once.</summary>
    private static async Task<string> FiguresAsync(SqliteStorageOptions storage, string reportId, params string[] labels)
    {
        await using var file = File.OpenRead(FileOf(storage, reportId));
        using var json = await JsonDocument.ParseAsync(file);
        var figures = json.RootElement.GetProperty("figures").EnumerateArray()
            .ToDictionary(f => f.GetProperty("label").GetString()!, f => f.GetProperty("value").ToString());
        return string.Join(", ", labels.Select(label => $"{label.ToLowerInvariant()} {(long.TryParse(figures.GetValueOrDefault(label), out var n) ? n.ToString("N0", CultureInfo.InvariantCulture) : "?")}"));
    }

    private static string FileOf(SqliteStorageOptions storage, string reportId) =>
        Directory.EnumerateFiles(Path.Combine(storage.DataDirectory, "files"), $"{reportId}.*", SearchOption.AllDirectories).Single();

    private static async Task<long> CountLinesAsync(SqliteStorageOptions storage, string reportId)
    {
        var lines = 0L;
        using var reader = new StreamReader(FileOf(storage, reportId));
        while (await reader.ReadLineAsync() is not null)
        {
            lines++;
        }

        return lines;
    }

    private static DateTimeOffset Hour(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, 0, 0, TimeSpan.Zero);

    private double Exponential(double mean) => -mean * Math.Log(1 - _random.NextDouble());

    /// <summary>Run times skew long: log-normal around the type's median.</summary>
    private double LogNormal(double median)
    {
        var normal = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
        return median * Math.Exp(0.6 * normal);
    }
}
