namespace Workforce.Core;

/// <summary>Refusals that several use cases share, worded once.</summary>
public static class Failures
{
    public static readonly Failure AgentKeyNotAllowed = Failure.Forbidden(
        "An agent key may only act as its own agent (heartbeat, metrics, lease, and its own tasks); use the tenant key for this request.");

    public static readonly Failure NotYourAgent = Failure.Forbidden("An agent key may only act as the agent it was issued to.");

    public static readonly Failure NotYourTask = Failure.Forbidden("This task is not assigned to the agent whose key was used.");
}
