namespace Workforce.Core.Agents;

public enum AgentStatus
{
    /// <summary>Alive and below its capacity: it can lease.</summary>
    Online = 0,

    /// <summary>Alive and at its capacity.</summary>
    Busy = 1,

    /// <summary>Missed its heartbeats; it leases nothing until it sends one.</summary>
    Offline = 2,
}
