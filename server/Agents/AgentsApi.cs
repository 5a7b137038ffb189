using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Scheduling;
using Workforce.Core.Storage;
using Workforce.Server.Auth;
using Workforce.Server.Http;
using Workforce.Server.Tasks;

namespace Workforce.Server.Agents;

internal static class AgentsApi
{
    public static RouteGroupBuilder MapAgentsApi(this RouteGroupBuilder api)
    {
        var agents = api.MapGroup("").WithTags("Agents");

        agents.MapPost(ApiRoutes.Agents, RegisterAsync)
            .WithSummary("Register an agent")
            .WithDescription("Returns the agent with its agentKey, shown only in this response. The key may act only as this agent.");
        agents.MapGet(ApiRoutes.Agents, ListAsync).WithSummary("List agents");
        agents.MapGet(ApiRoutes.Agent, GetAsync).WithSummary("Get an agent");
        agents.MapDelete(ApiRoutes.Agent, RemoveAsync)
            .WithSummary("Remove an agent")
            .WithDescription("Revokes the agent's key; the tasks it held go back to pending in their original places.");
        agents.MapPost(ApiRoutes.AgentHeartbeat, HeartbeatAsync)
            .WithSummary("Record a heartbeat, optionally with metrics");
        agents.MapPut(ApiRoutes.AgentMetrics, ReportMetricsAsync)
            .WithSummary("Report metrics (counts as a heartbeat)");
        agents.MapPost(ApiRoutes.AgentLease, LeaseAsync)
            .WithSummary("Lease the best task this agent can serve")
            .WithDescription("Strict priority, then submission order, among pending tasks whose required capabilities the agent has. " +
                "With waitSeconds (0-30) the request long-polls. 204 when no task became available.");
        return api;
    }

    private static async Task<Results<Created<AgentResponse>, ProblemHttpResult>> RegisterAsync(
        RegisterAgentCommand command, RegisterAgent register, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await register.ExecuteAsync(user.Caller(), command, cancellationToken);
        if (outcome.Value is not { } registered)
        {
            return outcome.Failure!.ToProblem(context);
        }

        var response = AgentResponse.From(registered.Agent) with { AgentKey = registered.AgentKey };
        return TypedResults.Created(ApiRoutes.AgentLocation(registered.Agent.Id), response);
    }

    private static async Task<Results<Ok<PageResponse<AgentResponse>>, ProblemHttpResult>> ListAsync(
        QueryAgents query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        string? status = null, string? capability = null, int limit = PageRequest.DefaultLimit, string? cursor = null)
    {
        var errors = new FieldErrors();
        ApiEnums.TryParseOptional<AgentStatus>(status, "status", errors, out var parsedStatus);
        if (errors.Any)
        {
            return errors.ToFailure().ToProblem(context);
        }

        var outcome = await query.ListAsync(user.Caller(), new AgentFilter(parsedStatus, capability), new PageRequest(limit, cursor), cancellationToken);
        return outcome.Value is { } page
            ? TypedResults.Ok(PageResponse<AgentResponse>.From(page, AgentResponse.From))
            : outcome.Failure!.ToProblem(context);
    }

    private static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> GetAsync(
        Guid id, QueryAgents query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await query.GetAsync(user.Caller(), id, cancellationToken);
        return outcome.Value is { } agent ? TypedResults.Ok(AgentResponse.From(agent)) : outcome.Failure!.ToProblem(context);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        Guid id, RemoveAgent remove, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await remove.ExecuteAsync(user.Caller(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem(context);
    }

    private static Task<Results<NoContent, ProblemHttpResult>> HeartbeatAsync(
        Guid id, [FromBody] MetricsReport? metrics, RecordHeartbeat heartbeat, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        RecordAsync(id, metrics, heartbeat, user, context, cancellationToken);

    private static Task<Results<NoContent, ProblemHttpResult>> ReportMetricsAsync(
        Guid id, MetricsReport metrics, RecordHeartbeat heartbeat, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        RecordAsync(id, metrics, heartbeat, user, context, cancellationToken);

    private static async Task<Results<NoContent, ProblemHttpResult>> RecordAsync(
        Guid id, MetricsReport? metrics, RecordHeartbeat heartbeat, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await heartbeat.ExecuteAsync(user.Caller(), id, metrics, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem(context);
    }

    private static async Task<Results<Ok<TaskResponse>, NoContent, ProblemHttpResult>> LeaseAsync(
        Guid id, LeaseTask lease, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken, int waitSeconds = 0)
    {
        var outcome = await lease.ExecuteAsync(user.Caller(), id, waitSeconds, cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome.Failure!.ToProblem(context);
        }

        return outcome.Value is { } task ? TypedResults.Ok(TaskResponse.From(task)) : TypedResults.NoContent();
    }
}
