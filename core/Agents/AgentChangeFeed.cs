using Microsoft.Extensions.Logging;

namespace Workforce.Core.Agents;

/// <summary>An agent that changed in a committed transaction: registered, heard from, taken offline or removed.</summary>
public sealed record AgentChange(string TenantId, Guid AgentId);

/// <summary>Something that wants to know when an agent changed.</summary>
public interface IAgentObserver
{
    /// <summary>Called after the commit. Must return quickly and not throw.</summary>
    void OnChanged(AgentChange change);
}

/// <summary>
/// The notification hook for agent changes that are not task transitions: the agent use cases publish here after
/// their commit. An agent's active-task count also changes with its tasks; those changes are already announced as
/// task transitions naming the agent (<see cref="Tasks.TaskChangeFeed"/>), so they are not repeated here.
/// A change names the agent rather than carrying its new state: notifications of two quick changes may arrive out
/// of order, and an observer that needs the state reads it, which always gives the latest.
/// </summary>
public sealed partial class AgentChangeFeed(IEnumerable<IAgentObserver> observers, ILogger<AgentChangeFeed> logger)
{
    private readonly IAgentObserver[] _observers = [.. observers];

    public void Publish(string tenantId, Guid agentId)
    {
        var change = new AgentChange(tenantId, agentId);
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnChanged(change);
            }
            catch (Exception e)
            {
                LogObserverFailed(logger, e, observer.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Agent observer {Observer} failed; it missed a notification")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, string observer);
}
