using System.Globalization;

namespace Workforce.Bench;

/// <summary>Command-line options. Every run is bounded: each scenario lasts <see cref="Duration"/> plus a warm-up.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        Workforce load benchmark: starts the server on loopback and measures it over HTTP, on SQLite
        (synchronous=FULL, the default) or on Azure Storage (--storage azure: Azurite or a real account);
        and runs the embedded durable engine, and report generation, in this process on SQLite (synchronous=FULL).

        Usage: dotnet run -c Release --project bench/Workforce.Bench -- [options]

        Options:
          --scenarios LIST     Comma-separated: noop,submit,e2e,realtime,notify,latency over HTTP, hello,fanout on
                               the durable engine (default: all eight); submit-unmetered and e2e-unmetered run
                               submit and e2e with metering off, to measure its cost, e2e-no-analytics e2e with
                               analytics off (Workforce:Analytics:Enabled=false), e2e-no-telemetry e2e with metrics
                               and traces off (Workforce:Metrics:Enabled=false, Workforce:Telemetry:Enabled=false),
                               analytics the CPU the analytics recorder and flush spend per task, in process;
                               notify runs e2e with a
                               webhook endpoint for task.completed on a receiver of the benchmark's own (every
                               completion delivered), notify-idle with one for task.failed only (nothing raised);
                               e2e-efficient runs e2e on the protocol of fewer round trips (batch submissions feed
                               agents that lease?max&start=true and complete?next&start=true), batch-submit
                               submits batches of 500 tasks (tasks/s); e2e-sdk runs e2e with --agents agents
                               written with the agent SDK (AgentHost, capacity 1, a handler that does nothing);
                               none of the three is in the default;
                               list one more than once to repeat it, e.g. e2e,notify,notify-idle,e2e,notify,notify-idle;
                               reports (not in the default: it seeds for minutes) seeds --days days of history at
                               --tasks-per-day tasks a day in this process, then generates the performance and
                               agent-activity reports over it in PDF, CSV and JSON, with time, size and peak memory;
                               backlog (not in the default: it seeds for minutes) submits --backlog tasks across
                               four priorities and four capabilities, then measures submit and e2e (agents with
                               two capabilities each) against that queue, with the server's working set;
                               heartbeats (not in the default) registers --fleet agents and measures the server's
                               CPU share while idle with them, then while each heartbeats every 30 s
          --duration SECONDS   Measured seconds per scenario, after a warm-up (default: 10)
          --warmup SECONDS     Unmeasured seconds before each scenario, on a fresh server (default: 15, about
                               how long the runtime takes under load to finish compiling the hot code)
          --concurrency N      Connections for noop and submit, pre-opened for latency, orchestrations in flight
                               for hello and fanout (default: 64)
          --agents N           Simulated agents in e2e, e2e-sdk, e2e-efficient, realtime and notify (default: 50)
          --submitters N       Concurrent submitters in e2e, e2e-sdk, realtime and notify (default: 16)
          --clients N          Dashboard clients connected to the hub in realtime (default: 100)
          --rate N             Submissions per second for the latency scenario (default: 5000)
          --lease-rate N       Leases per second the latency scenario makes beside them, each by one of 100 agents
                               (lease?max=1&start=true, then complete), open loop too (default: 1000; 0: none)
          --days N             Days of history the reports scenario seeds and reports on (default: 30)
          --tasks-per-day N    Tasks a day in the reports scenario's history, counted in analytics (default: 100000)
          --stored-tasks N     Of those, how many also go through the task store, finished, for the agent-activity
                               report to read, spread evenly over the days (default: 1000000)
          --backlog N          Pending tasks the backlog scenario seeds before it measures (default: 1000000)
          --fleet N            Agents the heartbeats scenario registers (default: 10000)
          --storage NAME       sqlite (default) or azure
          --connection-string  Azure Storage connection string for --storage azure (default: $WORKFORCE_TEST_AZURITE,
                               else UseDevelopmentStorage=true, i.e. Azurite on its default ports)
          --server-env K=V     Sets an environment variable of the server under test only, e.g. a runtime knob
                               (DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0); repeat for more
          --json PATH          Also write the results as JSON to PATH
          --help               Show this help

        Rate limits are disabled on the server under test and the per-tenant pending limit is raised for the
        submit scenario; notify and notify-idle allow webhook targets on loopback over http; everything else
        runs with the shipped defaults.
        """;

    public static readonly string[] AllScenarios = ["noop", "submit", "e2e", "realtime", "notify", "latency", "hello", "fanout"];

    public static readonly string[] KnownScenarios = [.. AllScenarios, "submit-unmetered", "e2e-unmetered", "e2e-no-analytics", "e2e-no-telemetry", "notify-idle", "analytics", "reports", "e2e-efficient", "batch-submit", "e2e-sdk", "backlog", "heartbeats"];

    public string[] Scenarios { get; init; } = AllScenarios;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(15);

    public int Concurrency { get; init; } = 64;

    public int Agents { get; init; } = 50;

    public int Submitters { get; init; } = 16;

    public int Clients { get; init; } = 100;

    public int Rate { get; init; } = 5_000;

    public int LeaseRate { get; init; } = 1_000;

    public int ReportDays { get; init; } = 30;

    public int TasksPerDay { get; init; } = 100_000;

    public long StoredTasks { get; init; } = 1_000_000;

    public long BacklogTasks { get; init; } = 1_000_000;

    public int FleetAgents { get; init; } = 10_000;

    public string Storage { get; init; } = "sqlite";

    public string ConnectionString { get; init; } =
        Environment.GetEnvironmentVariable("WORKFORCE_TEST_AZURITE") is { Length: > 0 } azurite ? azurite : "UseDevelopmentStorage=true";

    public string? JsonPath { get; init; }

    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    public bool ShowHelp { get; init; }

    private static Dictionary<string, string> WithVariable(IReadOnlyDictionary<string, string> variables, string assignment)
    {
        var (name, value) = assignment.Split('=', 2) is [{ Length: > 0 } n, var v] ? (n, v) : throw new ArgumentException($"--server-env needs NAME=VALUE, not {assignment}.");
        return new Dictionary<string, string>(variables) { [name] = value };
    }

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number() => int.Parse(Value(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--scenarios" => options with { Scenarios = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Number()) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Number()) },
                "--concurrency" => options with { Concurrency = Number() },
                "--agents" => options with { Agents = Number() },
                "--submitters" => options with { Submitters = Number() },
                "--clients" => options with { Clients = Number() },
                "--rate" => options with { Rate = Number() },
                "--lease-rate" => options with { LeaseRate = Number() },
                "--days" => options with { ReportDays = Number() },
                "--tasks-per-day" => options with { TasksPerDay = Number() },
                "--stored-tasks" => options with { StoredTasks = long.Parse(Value(), CultureInfo.InvariantCulture) },
                "--backlog" => options with { BacklogTasks = long.Parse(Value(), CultureInfo.InvariantCulture) },
                "--fleet" => options with { FleetAgents = Number() },
                "--storage" => options with { Storage = Value() },
                "--connection-string" => options with { ConnectionString = Value() },
                "--json" => options with { JsonPath = Value() },
                "--server-env" => options with { ServerEnvironment = WithVariable(options.ServerEnvironment, Value()) },
                "--help" or "-h" => options with { ShowHelp = true },
                _ => throw new ArgumentException($"Unknown option {args[i]}; see --help."),
            };
        }

        var unknown = options.Scenarios.Except(KnownScenarios).ToList();
        if (options.Storage is not ("sqlite" or "azure"))
        {
            throw new ArgumentException($"Unknown storage {options.Storage}; use sqlite or azure.");
        }

        if (options.ReportDays is < 1 or > 400 || options.TasksPerDay < 1 || options.StoredTasks < 0)
        {
            throw new ArgumentException("--days takes 1 to 400, --tasks-per-day at least 1, --stored-tasks at least 0.");
        }

        return unknown.Count == 0 ? options : throw new ArgumentException($"Unknown scenario {unknown[0]}; see --help.");
    }
}
