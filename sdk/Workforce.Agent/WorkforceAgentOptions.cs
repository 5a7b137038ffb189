namespace Workforce.Agent;

/// <summary>
/// How an agent reaches its server and who it is. Give either <see cref="AgentId"/> with <see cref="AgentKey"/> (an
/// agent registered beforehand), or <see cref="TenantKey"/> with <see cref="Name"/> (and optionally role,
/// capabilities and capacity) for an agent that registers itself on start.
/// </summary>
public sealed class WorkforceAgentOptions
{
    /// <summary>The server's address, e.g. http://localhost:7071 (the SDK adds /api/v1). Optional when the HttpClient given has a BaseAddress.</summary>
    public Uri? ServerUrl { get; set; }

    /// <summary>An agent registered beforehand; with <see cref="AgentKey"/>.</summary>
    public Guid? AgentId { get; set; }

    /// <summary>The agentKey its registration returned.</summary>
    public string? AgentKey { get; set; }

    /// <summary>A tenant key: the agent registers itself with it on start (and then acts with its own agent key).</summary>
    public string? TenantKey { get; set; }

    /// <summary>The name a self-registering agent registers with; the machine's name by default.</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>strategic, tactical or operational; the server's default (operational) when null.</summary>
    public string? Role { get; set; }

    /// <summary>The capabilities a self-registering agent registers with; the task types it handles when empty.</summary>
    public IList<string> Capabilities { get; } = [];

    /// <summary>How many tasks the agent runs at once. A registered agent's own capacity, read from the server, wins.</summary>
    public int Capacity { get; set; } = 4;

    /// <summary>How often the agent heartbeats with its CPU, memory and thread metrics. The server takes an agent silent for 90 s offline.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// While it runs tasks, how often the agent asks which tasks it still holds, so a task cancelled or timed out on
    /// the server cancels its handler within this interval (a read; it records nothing). Zero turns the poll off:
    /// the heartbeat alone then cancels handlers.
    /// </summary>
    public TimeSpan TaskCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a lease long-polls when there is no task (the server allows up to 30 s).</summary>
    public int LeaseWaitSeconds { get; set; } = 20;

    /// <summary>On shutdown, how long running handlers may take to finish before they are cancelled and their tasks released.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first delay before retrying a server that is away; it doubles (with jitter) up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options, with a message that says what to set.</summary>
    public void Validate()
    {
        var registered = AgentId is not null || AgentKey is not null;
        if (registered && (AgentId is null || string.IsNullOrWhiteSpace(AgentKey)))
        {
            throw new InvalidOperationException("Set both AgentId and AgentKey for a registered agent.");
        }

        if (!registered && string.IsNullOrWhiteSpace(TenantKey))
        {
            throw new InvalidOperationException("Set AgentId and AgentKey (a registered agent) or TenantKey (to register on start).");
        }

        if (Capacity is < 1 or > 1000)
        {
            throw new InvalidOperationException("Capacity must be between 1 and 1000.");
        }

        if (HeartbeatInterval <= TimeSpan.Zero || TaskCheckInterval < TimeSpan.Zero || ShutdownGracePeriod < TimeSpan.Zero ||
            ReconnectBaseDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectBaseDelay)
        {
            throw new InvalidOperationException("HeartbeatInterval and ReconnectBaseDelay must be positive, TaskCheckInterval and ShutdownGracePeriod not negative, ReconnectMaxDelay at least ReconnectBaseDelay.");
        }

        if (LeaseWaitSeconds is < 0 or > 30)
        {
            throw new InvalidOperationException("LeaseWaitSeconds must be between 0 and 30.");
        }
    }
}
