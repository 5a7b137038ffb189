using Workforce.Core.Agents;
using Workforce.Orchestrations.Durable;

namespace Workforce.Orchestrations.AgentLiveness;

public sealed class TakeSilentAgentsOfflineActivity(TakeSilentAgentsOffline takeOffline) : Activity<int, int>
{
    public override string Name => WorkflowNames.TakeSilentAgentsOffline;

    public override Task<int> RunAsync(ActivityContext context, int input) => takeOffline.ExecuteAsync(input);
}
