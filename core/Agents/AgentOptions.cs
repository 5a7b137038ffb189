using System.ComponentModel.DataAnnotations;

namespace Workforce.Core.Agents;

/// <summary>Agent liveness. Bound from <c>Workforce:Agents</c>.</summary>
public sealed class AgentOptions
{
    public const string Section = "Workforce:Agents";

    /// <summary>An agent silent for this long goes offline and its tasks fail over to other agents.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(90);
}
