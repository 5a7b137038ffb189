using Workforce.Api.Agents;
using Workforce.Api.Tasks;
using Workforce.Core;
using Workforce.Server.Http;

namespace Workforce.Server.Agents;

internal static class AgentsApi
{
    public static RouteGroupBuilder MapAgentsApi(this RouteGroupBuilder api)
    {
        var agents = api.MapGroup("").WithTags("Agents");

        agents.MapPost(ApiRoutes.Agents, AgentEndpoints.RegisterAsync)
            .WithSummary("Register an agent")
            .WithDescription("Returns the agent with its agentKey, shown only in this response. The key may act only as this agent.");
        agents.MapGet(ApiRoutes.Agents, AgentEndpoints.ListAsync).WithSummary("List agents");
        agents.MapGet(ApiRoutes.Agent, AgentEndpoints.GetAsync).WithSummary("Get an agent");
        agents.MapDelete(ApiRoutes.Agent, AgentEndpoints.RemoveAsync)
            .WithSummary("Remove an agent")
            .WithDescription("Revokes the agent's key; the tasks it held go back to pending in their original places.");
        agents.MapPost(ApiRoutes.AgentHeartbeat, AgentEndpoints.HeartbeatAsync)
            .WithSummary("Record a heartbeat, optionally with metrics")
            .WithDescription("204, or with \"tasks\": [ids of the tasks the agent works on] in the body, 200 {\"cancelledTasks\": [{id, reason}]} " +
                "naming those it no longer holds (reason cancelled, timedOut, completed or removed): stop their handlers and do not report them.");
        agents.MapGet(ApiRoutes.AgentTasks, AgentEndpoints.HeldTasksAsync)
            .WithSummary("List the tasks an agent holds")
            .WithDescription("Assigned and running tasks of the agent, oldest first. An agent that lost a response (a crash, a reconnect) finds its work here; " +
                "polled while it works, a task missing from the answer was cancelled or timed out. Tenant key or the agent's own key.");
        agents.MapPut(ApiRoutes.AgentMetrics, AgentEndpoints.ReportMetricsAsync)
            .WithSummary("Report metrics (counts as a heartbeat)");
        agents.MapPost(ApiRoutes.AgentLease, AgentEndpoints.LeaseAsync)
            .WithSummary("Lease the best task this agent can serve")
            .WithDescription("Strict priority, then submission order, among pending tasks whose required capabilities the agent has. " +
                "With waitSeconds (0-30) the request long-polls. 204 when no task became available. " +
                "With max=N (1 to the agent's free slots, at most 100), 200 with {\"items\": [Task, ...]}: 1 to N tasks leased in one transaction, " +
                "started too with start=true; 400 for a max outside that range.")
            .WithResponseUnion<TaskResponse, LeasedTasksResponse>();
        agents.MapPost(ApiRoutes.AgentDrain, AgentEndpoints.DrainAsync)
            .WithSummary("Drain an agent")
            .WithDescription("The agent keeps the tasks it holds but leases no new ones until resumed. Tenant key or the agent's own key.");
        agents.MapPost(ApiRoutes.AgentResume, AgentEndpoints.ResumeAsync).WithSummary("Let a drained agent lease tasks again");
        return api;
    }
}
