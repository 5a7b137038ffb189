using System.Globalization;

namespace Workforce.Agent.Sample;

/// <summary>The sample's command line, with environment variables as fallbacks.</summary>
public sealed record SampleOptions(Uri Server, string? TenantKey, Guid? AgentId, string? AgentKey, string Name, int Capacity, TimeSpan Grace, string? Assign = null)
{
    public const string Help = """
        Workforce sample agent: runs tasks of type echo, flaky (fails twice, then succeeds), slow (payload
        {"seconds":N}; honours cancellation) and strict (empty text fails for good), and prints the
        task_assignment messages it receives. With --assign it is a strategic "manager" instead: it broadcasts
        one task_assignment to the agents with that capability and exits.

        Usage: dotnet run --project samples/Workforce.Agent.Sample -- [options]

          --server URL        the server (WORKFORCE_URL; default http://localhost:7071)
          --key KEY           a tenant key: the agent registers itself (WORKFORCE_KEY)
          --agent-id ID       or run as an agent registered before (WORKFORCE_AGENT_ID)
          --agent-key KEY     with its agentKey (WORKFORCE_AGENT_KEY)
          --name NAME         the name it registers with (default sample-agent; sample-manager with --assign)
          --capacity N        tasks at once (default 4)
          --grace SECONDS     on Ctrl+C / SIGTERM, how long running tasks may finish (default 30)
          --assign CAPABILITY run as a manager: broadcast a task_assignment to the agents with CAPABILITY
                              (e.g. echo; the sample workers have echo, flaky, slow, strict) and exit
          --help              this text

        Ctrl+C or SIGTERM drains the agent: it leases nothing more, finishes what it runs within the grace period,
        releases the rest and exits.
        """;

    public static SampleOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Unknown or incomplete option '{args[i]}'.");
            }

            values[args[i][2..]] = args[++i];
        }

        string? Value(string name, string variable) => values.GetValueOrDefault(name) ?? environment(variable);
        var unknown = values.Keys.Except(["server", "key", "agent-id", "agent-key", "name", "capacity", "grace", "assign"]).FirstOrDefault();
        if (unknown is not null)
        {
            throw new ArgumentException($"Unknown option '--{unknown}'.");
        }

        var agentId = Value("agent-id", "WORKFORCE_AGENT_ID");
        var assign = values.GetValueOrDefault("assign");
        var options = new SampleOptions(
            new Uri(Value("server", "WORKFORCE_URL") ?? "http://localhost:7071"),
            Value("key", "WORKFORCE_KEY"),
            agentId is null ? null : Guid.Parse(agentId, CultureInfo.InvariantCulture),
            Value("agent-key", "WORKFORCE_AGENT_KEY"),
            values.GetValueOrDefault("name") ?? (assign is null ? "sample-agent" : "sample-manager"),
            int.Parse(values.GetValueOrDefault("capacity") ?? "4", CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(int.Parse(values.GetValueOrDefault("grace") ?? "30", CultureInfo.InvariantCulture)),
            assign);
        return options.TenantKey is null && options.AgentKey is null
            ? throw new ArgumentException("Give --key (a tenant key) or --agent-id with --agent-key.")
            : options;
    }

    /// <summary>Who the agent is and where its server is, for the worker and the manager alike.</summary>
    public void Apply(WorkforceAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ServerUrl = Server;
        options.TenantKey = TenantKey;
        options.AgentId = AgentId;
        options.AgentKey = AgentKey;
        options.Name = Name;
        options.Capacity = Capacity;
        options.ShutdownGracePeriod = Grace;
    }
}
