using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Core;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Orchestrations.Durable;
using Workforce.Orchestrations.Operations;
using Workforce.Server.Auth;
using Workforce.Server.Http;

namespace Workforce.Server.Operations;

internal static class OperationsApi
{
    /// <summary>What runs behind the tasks: their lifecycle orchestrations and the work queues, for the caller's tenant.</summary>
    public static RouteGroupBuilder MapOperationsApi(this RouteGroupBuilder api)
    {
        var operations = api.MapGroup("").WithTags("Operations");
        operations.MapGet(ApiRoutes.Orchestrations, ListOrchestrationsAsync)
            .WithSummary("List orchestrations")
            .WithDescription("The tenant's task lifecycle orchestrations, oldest first. Filter by status and by type (orchestrator name).");
        operations.MapGet(ApiRoutes.Orchestration, GetOrchestrationAsync)
            .WithSummary("Get an orchestration with its status, custom status, input and output");
        operations.MapGet(ApiRoutes.Queues, GetQueuesAsync)
            .WithSummary("Count the messages of each work queue (active, scheduled, dead-lettered)");
        return api;
    }

    private static async Task<Results<Ok<PageResponse<OrchestrationResponse>>, ProblemHttpResult>> ListOrchestrationsAsync(
        QueryOrchestrations query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        string? status = null, string? type = null, int limit = PageRequest.DefaultLimit, string? cursor = null)
    {
        var errors = new FieldErrors();
        ApiEnums.TryParseOptional<OrchestrationRuntimeStatus>(status, "status", errors, out var parsedStatus);
        if (errors.Any)
        {
            return errors.ToFailure().ToProblem(context);
        }

        var outcome = await query.ListAsync(user.Caller(), parsedStatus, type, new PageRequest(limit, cursor), cancellationToken);
        return outcome.Value is { } page
            ? TypedResults.Ok(PageResponse<OrchestrationResponse>.From(page, OrchestrationResponse.From))
            : outcome.Failure!.ToProblem(context);
    }

    private static async Task<Results<Ok<OrchestrationResponse>, ProblemHttpResult>> GetOrchestrationAsync(
        string instanceId, QueryOrchestrations query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await query.GetAsync(user.Caller(), instanceId, cancellationToken);
        return outcome.Value is { } instance ? TypedResults.Ok(OrchestrationResponse.From(instance)) : outcome.Failure!.ToProblem(context);
    }

    private static async Task<Results<Ok<QueuesResponse>, ProblemHttpResult>> GetQueuesAsync(
        QueryQueueCounts query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await query.ExecuteAsync(user.Caller(), cancellationToken);
        return outcome.Value is { } counts
            ? TypedResults.Ok(new QueuesResponse([.. counts.Select(c => new QueueResponse(c.Queue, c.Active, c.Scheduled, c.DeadLettered))]))
            : outcome.Failure!.ToProblem(context);
    }
}
