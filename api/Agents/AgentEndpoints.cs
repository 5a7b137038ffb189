using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Api.Tasks;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Scheduling;
using Workforce.Core.Storage;

namespace Workforce.Api.Agents;

/// <summary>The handlers of the v1 agent routes: parse, call the use case, map the outcome.</summary>
public static class AgentEndpoints
{
    public static async Task<Results<Created<AgentResponse>, ProblemHttpResult>> RegisterAsync(
        RegisterAgentCommand command, RegisterAgent register, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(register);
        var outcome = await register.ExecuteAsync(user.Caller(), command, cancellationToken);
        if (outcome.Value is not { } registered)
        {
            return outcome.Failure!.ToProblem(context);
        }

        var response = AgentResponse.From(registered.Agent) with { AgentKey = registered.AgentKey };
        return TypedResults.Created(ApiRoutes.AgentLocation(registered.Agent.Id), response);
    }

    public static async Task<Results<Ok<PageResponse<AgentResponse>>, ProblemHttpResult>> ListAsync(
        QueryAgents query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        string? status = null, string? capability = null, int limit = PageRequest.DefaultLimit, string? cursor = null)
    {
        ArgumentNullException.ThrowIfNull(query);
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

    public static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> GetAsync(
        Guid id, QueryAgents query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Respond(await query.GetAsync(user.Caller(), id, cancellationToken), context);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        Guid id, RemoveAgent remove, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remove);
        var outcome = await remove.ExecuteAsync(user.Caller(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem(context);
    }

    /// <summary>204 as before; 200 with the lost tasks when the body names the tasks the agent works on.</summary>
    public static async Task<Results<Ok<HeartbeatResponse>, NoContent, ProblemHttpResult>> HeartbeatAsync(
        Guid id, [FromBody] MetricsReport? metrics, RecordHeartbeat heartbeat, AgentTasks tasks, ClaimsPrincipal user, HttpContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentNullException.ThrowIfNull(tasks);
        var outcome = await heartbeat.ExecuteAsync(user.Caller(), id, metrics, cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome.Failure!.ToProblem(context);
        }

        if (metrics?.Tasks is not { } working)
        {
            return TypedResults.NoContent();
        }

        var lost = await tasks.LostAsync(user.Caller(), id, working, cancellationToken);
        return TypedResults.Ok(new HeartbeatResponse([.. lost.Select(task => new LostTaskResponse(task.Id, task.Reason))]));
    }

    public static async Task<Results<Ok<HeldTasksResponse>, ProblemHttpResult>> HeldTasksAsync(
        Guid id, AgentTasks tasks, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var outcome = await tasks.HeldAsync(user.Caller(), id, cancellationToken);
        return outcome.Value is { } held
            ? TypedResults.Ok(new HeldTasksResponse([.. held.Select(TaskResponse.From)]))
            : outcome.Failure!.ToProblem(context);
    }

    public static Task<Results<NoContent, ProblemHttpResult>> ReportMetricsAsync(
        Guid id, MetricsReport metrics, RecordHeartbeat heartbeat, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        RecordAsync(id, metrics, heartbeat, user, context, cancellationToken);

    /// <summary>Without max, one task (v1); with max, up to max tasks in one lease (started too with start=true).</summary>
    public static async Task<Results<Ok<TaskResponse>, Ok<LeasedTasksResponse>, NoContent, ProblemHttpResult>> LeaseAsync(
        Guid id, LeaseTask lease, LeaseTasks leases, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        int waitSeconds = 0, int? max = null, bool start = false)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(leases);
        if (max is { } batch)
        {
            var leased = await leases.ExecuteAsync(user.Caller(), id, batch, start, waitSeconds, cancellationToken);
            if (leased.Value is not { } tasks)
            {
                return leased.Failure!.ToProblem(context);
            }

            return tasks.Count > 0 ? TypedResults.Ok(LeasedTasksResponse.From(tasks)) : TypedResults.NoContent();
        }

        if (start)
        {
            return Failure.Invalid("start", "start=true leases and starts several tasks at once: give max=N (1 to 100) with it.").ToProblem(context);
        }

        var outcome = await lease.ExecuteAsync(user.Caller(), id, waitSeconds, cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome.Failure!.ToProblem(context);
        }

        return outcome.Value is { } task ? TypedResults.Ok(TaskResponse.From(task)) : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> DrainAsync(
        Guid id, DrainAgent drain, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drain);
        return Respond(await drain.DrainAsync(user.Caller(), id, cancellationToken), context);
    }

    public static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> ResumeAsync(
        Guid id, DrainAgent drain, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drain);
        return Respond(await drain.ResumeAsync(user.Caller(), id, cancellationToken), context);
    }

    private static Results<Ok<AgentResponse>, ProblemHttpResult> Respond(Outcome<Agent> outcome, HttpContext context) =>
        outcome.Value is { } agent ? TypedResults.Ok(AgentResponse.From(agent)) : outcome.Failure!.ToProblem(context);

    private static async Task<Results<NoContent, ProblemHttpResult>> RecordAsync(
        Guid id, MetricsReport? metrics, RecordHeartbeat heartbeat, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var outcome = await heartbeat.ExecuteAsync(user.Caller(), id, metrics, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem(context);
    }
}
