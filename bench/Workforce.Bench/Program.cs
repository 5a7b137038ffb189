using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Workforce.Bench;
using Workforce.Core.Queues;
using Workforce.Testing;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

const string TenantKey = "bench-tenant-key";
var results = new List<ScenarioResult>();
var reportRuns = new List<ReportsOutcome>();
Console.Error.WriteLine($"Workforce benchmark: {string.Join(", ", options.Scenarios)}; {options.Warmup.TotalSeconds:0} s warm-up + {options.Duration.TotalSeconds:0} s each");

foreach (var scenario in options.Scenarios)
{
    if (scenario is "hello" or "fanout")
    {
        Console.Error.WriteLine($"==> {scenario}: starting the embedded durable engine");
        var durable = new DurableScenarios(options);
        results.Add(scenario == "hello" ? await durable.HelloCitiesAsync() : await durable.FanOutAsync());
        continue;
    }

    if (scenario == "analytics")
    {
        Console.Error.WriteLine("==> analytics: recording the end-to-end flow's transitions in process");
        results.Add(AnalyticsUpkeep.Measure(options));
        continue;
    }

    if (scenario == "reports")
    {
        Console.Error.WriteLine($"==> {scenario}: seeding history and generating reports in this process");
        reportRuns.Add(await new ReportScenarios(options).RunAsync());
        continue;
    }

    // A fresh server and database per scenario, so one scenario's backlog does not slow the next.
    var settings = new Dictionary<string, string>
    {
        ["WORKFORCE_DATA_DIR"] = Path.Combine(Path.GetTempPath(), "workforce-bench", Guid.NewGuid().ToString("N")),
        ["WORKFORCE_BOOTSTRAP_API_KEY"] = TenantKey,
        ["Workforce__RateLimit__PermitsPerMinute"] = "0",
        ["Workforce__RateLimit__KeyPermitsPerMinute"] = "0",
    };
    if (scenario == "heartbeats")
    {
        // The idle window must not take the fleet offline before its heartbeats start: the sweep still reads it.
        settings["Workforce__Agents__HeartbeatTimeout"] = "00:10:00";
    }

    if (scenario is "submit" or "submit-unmetered" or "latency" or "batch-submit" or "backlog")
    {
        settings["Workforce__Tasks__MaxPendingPerTenant"] = "10000000";
    }

    // Metered scenarios count and check every quota as shipped, with the Free limits raised out of reach so the
    // load is never refused; the -unmetered ones turn metering off, to measure what it costs.
    if (scenario.EndsWith("-unmetered", StringComparison.Ordinal))
    {
        settings["Workforce__Billing__Metering"] = "false";
    }
    else
    {
        foreach (var meter in new[] { "Tasks", "ComputeMinutes", "ApiCalls", "StorageGigabytes" })
        {
            settings[$"Workforce__Billing__Plans__free__{meter}"] = "1000000000";
        }
    }

    if (scenario == "e2e-no-analytics")
    {
        settings["Workforce__Analytics__Enabled"] = "false";
    }

    // Metrics and traces are on as shipped (every span sampled, none exported; /metrics served, not scraped here);
    // e2e-no-telemetry registers neither the meter provider nor the tracer, to measure what they cost.
    if (scenario == "e2e-no-telemetry")
    {
        settings["Workforce__Metrics__Enabled"] = "false";
        settings["Workforce__Telemetry__Enabled"] = "false";
    }

    // The benchmark's webhook receiver listens on loopback over plain http, which production refuses (SSRF, TLS).
    if (scenario.StartsWith("notify", StringComparison.Ordinal))
    {
        settings["Workforce__Notifications__AllowPrivateTargets"] = "true";
        settings["Workforce__Notifications__AllowHttpTargets"] = "true";
    }

    foreach (var (name, value) in options.ServerEnvironment)
    {
        settings[name] = value;
    }

    var resourcePrefix = Azurite.NewResourcePrefix();
    if (options.Storage == "azure")
    {
        settings["Workforce__Storage__Provider"] = "azure";
        settings["Workforce__Storage__ConnectionString"] = options.ConnectionString;
        settings["Workforce__Storage__ResourcePrefix"] = resourcePrefix;
    }

    Console.Error.WriteLine($"==> {scenario}: starting the server");
    await using var server = await ServerProcess.StartAsync(settings);
    var load = new LoadScenarios(options, server.Address, TenantKey, () => server.ProcessorTime, () => server.WorkingSet);
    switch (scenario)
    {
        case "noop":
            results.Add(await load.NoopAsync());
            break;
        case "submit":
            results.Add(await load.SubmitAsync());
            break;
        case "submit-unmetered":
            results.Add(await load.SubmitAsync() with { Scenario = "Durable submissions, unmetered" });
            break;
        case "e2e":
            var (tasks, lease) = await load.EndToEndAsync();
            results.Add(tasks);
            results.Add(lease);
            break;
        case "e2e-sdk":
            results.Add(await load.SdkEndToEndAsync());
            break;
        case "e2e-efficient":
            results.Add(await new ProtocolScenarios(options, server.Address, TenantKey, () => server.ProcessorTime).EfficientEndToEndAsync());
            break;
        case "batch-submit":
            results.Add(await new ProtocolScenarios(options, server.Address, TenantKey, () => server.ProcessorTime).BatchSubmitAsync());
            break;
        case "e2e-unmetered":
            results.Add((await load.EndToEndAsync()).Tasks with { Scenario = "End-to-end tasks, unmetered" });
            break;
        case "e2e-no-analytics":
            results.Add((await load.EndToEndAsync()).Tasks with { Scenario = "End-to-end tasks, analytics off" });
            break;
        case "e2e-no-telemetry":
            results.Add((await load.EndToEndAsync()).Tasks with { Scenario = "End-to-end tasks, metrics and traces off" });
            break;
        case "realtime":
            var (watched, delay) = await load.EndToEndWithDashboardsAsync();
            results.Add(watched);
            results.Add(delay);
            break;
        case "notify":
            var (notified, deliveries) = await load.EndToEndWithWebhookAsync("task.completed");
            results.Add(notified with { Scenario = "End-to-end with webhooks" });
            results.Add(deliveries);
            break;
        case "notify-idle":
            results.Add((await load.EndToEndWithWebhookAsync("task.failed")).Tasks with { Scenario = "End-to-end, webhook idle" });
            break;
        case "latency":
            results.AddRange(await load.LatencyAtRateAsync());
            break;
        case "backlog":
            results.AddRange(await load.BacklogAsync());
            break;
        case "heartbeats":
            results.AddRange(await load.FleetAsync());
            break;
    }

    await server.KillAsync();
    if (Directory.Exists(settings["WORKFORCE_DATA_DIR"]))
    {
        Directory.Delete(settings["WORKFORCE_DATA_DIR"], recursive: true);
    }
    if (options.Storage == "azure")
    {
        await Azurite.DeleteResourcesAsync(resourcePrefix, WorkQueues.All, options.ConnectionString);
    }
}

var ceiling = results.FirstOrDefault(r => r.Scenario == "No-op ceiling")?.PerSecond;
static string Ms(double value) => double.IsNaN(value) ? "" : value.ToString("0.00", CultureInfo.InvariantCulture);
Console.WriteLine();
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
if (results.Count > 0)
{
    Console.WriteLine(options.Storage == "azure"
        ? "Server: Azure Storage (Tables, Queues) through the Azure SDKs; rate limits disabled for the run."
        : "Server: SQLite WAL, synchronous=FULL (fsync per group commit); rate limits disabled for the run.");
    Console.WriteLine("Durable engine (hello, fanout): in the benchmark's process, SQLite WAL, synchronous=FULL.");
}

if (reportRuns.Count > 0)
{
    Console.WriteLine("Reports: in the benchmark's process, SQLite WAL, synchronous=FULL; files into the local blob store (the data folder).");
}

if (results.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("| Scenario | What | Per second | p50 ms | p99 ms | vs no-op | Notes |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|---|");
}

foreach (var r in results)
{
    var ratio = ceiling is > 0 && r.Scenario is not ("Lease latency" or "Event delay" or "Webhook deliveries" or "HelloCities5" or "Fan-out/fan-in 100") ? (r.PerSecond / ceiling.Value).ToString("P0", CultureInfo.InvariantCulture) : "";
    Console.WriteLine($"| {r.Scenario} | {r.Measure} | {r.PerSecond.ToString("N0", CultureInfo.InvariantCulture)} | {Ms(r.P50Ms)} | {Ms(r.P99Ms)} | {ratio} | {r.Notes} |");
}

foreach (var run in reportRuns)
{
    Console.WriteLine();
    Console.WriteLine($"Seeded {run.AnalyticsTasks:N0} tasks ({run.AnalyticsTasks / options.ReportDays:N0} a day for {options.ReportDays} days) into analytics, " +
        $"{run.StoredTasks:N0} of them also finished in the task store, {run.Agents} agents: {run.Seeding.TotalSeconds:0} s in all; " +
        $"the task store {run.StoreSeeding.TotalSeconds:0} s ({run.StoredTasks / Math.Max(run.StoreSeeding.TotalSeconds, 0.001):N0} tasks/s), " +
        $"analytics recording and writing {run.AnalyticsSeeding.TotalSeconds:0} s.");
    Console.WriteLine();
    Console.WriteLine("| Report | Format | Time s | File | Rows | Working set before MB | Peak working set MB | Peak managed heap MB | Notes |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
    foreach (var r in run.Reports)
    {
        var size = r.Bytes >= 1_048_576 ? $"{r.Bytes / 1_048_576d:0.0} MB" : $"{r.Bytes / 1024d:0.0} KB";
        Console.WriteLine($"| {r.Report} | {r.Format} | {r.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} | {size} | {(r.Rows is { } rows ? rows.ToString("N0", CultureInfo.InvariantCulture) : "")} | " +
            $"{r.BaselineWorkingSetMb:0} | {r.PeakWorkingSetMb:0} | {r.PeakManagedMb:0} | {r.Notes} |");
    }
}

// The machine's figures move by ±20 % between runs; with scenarios repeated (--scenarios e2e,realtime,e2e,realtime),
// medians compare the two loads more fairly than any single pair.
static double? Median(IEnumerable<double> values) =>
    values.Order().ToList() is { Count: > 0 } sorted ? sorted[sorted.Count / 2] : null;
var alone = Median(results.Where(r => r.Scenario == "End-to-end tasks").Select(r => r.PerSecond));
var watchedBy = Median(results.Where(r => r.Scenario == "End-to-end with dashboards").Select(r => r.PerSecond));
if (alone is > 0 && watchedBy is not null)
{
    // CPU per task is what the dashboards cost the server; unlike throughput, it hardly moves with what else the
    // shared machine is doing.
    var cpuAlone = Median(results.Where(r => r.Scenario == "End-to-end tasks").Select(r => r.ServerCpuMsPerTask))!.Value;
    var cpuWatched = Median(results.Where(r => r.Scenario == "End-to-end with dashboards").Select(r => r.ServerCpuMsPerTask))!.Value;
    Console.WriteLine();
    Console.WriteLine($"With {options.Clients} dashboards connected, end-to-end throughput (median of runs) is " +
        $"{(watchedBy.Value / alone.Value).ToString("P1", CultureInfo.InvariantCulture)} of the median without (target: at least 90 %).");
    Console.WriteLine($"Server CPU per task (median): {cpuAlone:0.00} ms without, {cpuWatched:0.00} ms with dashboards " +
        $"({(cpuWatched / cpuAlone - 1).ToString("+0.0 %;-0.0 %", CultureInfo.InvariantCulture)}).");
}

// What metering costs: each metered scenario against its unmetered twin (target: under 10 %).
foreach (var (metered, unmetered) in new[] { ("Durable submissions", "Durable submissions, unmetered"), ("End-to-end tasks", "End-to-end tasks, unmetered") })
{
    var on = Median(results.Where(r => r.Scenario == metered).Select(r => r.PerSecond));
    var off = Median(results.Where(r => r.Scenario == unmetered).Select(r => r.PerSecond));
    if (on is not null && off is > 0)
    {
        Console.WriteLine($"Metering costs {metered.ToLowerInvariant()} {(1 - (on.Value / off.Value)).ToString("+0.0 %;-0.0 %", CultureInfo.InvariantCulture)} " +
            $"({on.Value:N0}/s metered, {off.Value:N0}/s unmetered, medians; target: under 10 %).");
    }
}

// What the SDK costs: its agents (one request a task: complete?next) against e2e's raw ones (three), same server and load.
var sdk = Median(results.Where(r => r.Scenario == "End-to-end tasks, SDK agents").Select(r => r.PerSecond));
if (alone is > 0 && sdk is not null)
{
    double CpuMedian(string scenario, Func<ScenarioResult, double> cpu) => Median(results.Where(r => r.Scenario == scenario).Select(cpu))!.Value;
    Console.WriteLine($"SDK agents complete {sdk.Value:N0} tasks/s, {(sdk.Value / alone.Value).ToString("P0", CultureInfo.InvariantCulture)} of raw e2e's {alone.Value:N0}/s (medians); " +
        $"benchmark CPU per task {CpuMedian("End-to-end tasks", r => r.BenchCpuMsPerTask):0.00} ms raw → {CpuMedian("End-to-end tasks, SDK agents", r => r.BenchCpuMsPerTask):0.00} ms SDK, " +
        $"server {CpuMedian("End-to-end tasks", r => r.ServerCpuMsPerTask):0.00} → {CpuMedian("End-to-end tasks, SDK agents", r => r.ServerCpuMsPerTask):0.00} ms.");
}

// What the outbox costs end to end: every completion delivered as a webhook, and an endpoint that hears nothing in
// this flow (what having notifications configured costs by itself), each against end to end alone (target: under 5 %).
foreach (var (variant, what) in new[] { ("End-to-end with webhooks", "A webhook for every task.completed"), ("End-to-end, webhook idle", "An endpoint for task.failed only") })
{
    var with = Median(results.Where(r => r.Scenario == variant).Select(r => r.PerSecond));
    if (alone is > 0 && with is not null)
    {
        var cpuAlone = Median(results.Where(r => r.Scenario == "End-to-end tasks").Select(r => r.ServerCpuMsPerTask))!.Value;
        var cpuWith = Median(results.Where(r => r.Scenario == variant).Select(r => r.ServerCpuMsPerTask))!.Value;
        Console.WriteLine($"{what} costs end-to-end tasks/s {(1 - (with.Value / alone.Value)).ToString("+0.0 %;-0.0 %", CultureInfo.InvariantCulture)} " +
            $"({with.Value:N0}/s with, {alone.Value:N0}/s without, medians; target: under 5 %); server CPU per task {cpuAlone:0.00} → {cpuWith:0.00} ms " +
            $"({(cpuWith / cpuAlone - 1).ToString("+0.0 %;-0.0 %", CultureInfo.InvariantCulture)}).");
    }
}

var delivered = results.Where(r => r.Scenario == "Webhook deliveries").ToList();
if (delivered.Count > 0)
{
    Console.WriteLine($"Webhook deliveries (median of runs): {Median(delivered.Select(r => r.PerSecond))!.Value:N0}/s, " +
        $"delay p50 {Ms(Median(delivered.Select(r => r.P50Ms))!.Value)} ms, p99 {Ms(Median(delivered.Select(r => r.P99Ms))!.Value)} ms.");
}

if (options.JsonPath is not null)
{
    // Throughput-only scenarios have no latency: NaN, written as "NaN".
    var json = new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    await File.WriteAllTextAsync(options.JsonPath, JsonSerializer.Serialize(results, json));
}

return 0;
