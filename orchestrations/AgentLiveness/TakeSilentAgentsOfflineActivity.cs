using Microsoft.DurableTask;
using Workforce.Core.Agents;

namespace Workforce.Orchestrations.AgentLiveness;

public sealed class TakeSilentAgentsOfflineActivity(TakeSilentAgentsOffline takeOffline) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) => takeOffline.ExecuteAsync(input);
}
