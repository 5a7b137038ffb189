using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Orchestrations.Operations;

namespace Workforce.Api.Operations;

/// <summary>
/// The handlers of the v1 operations routes: what runs behind the tasks — their lifecycle orchestrations and the
/// work queues — for the caller's tenant.
/// </summary>
public static class OperationsEndpoints
{
    public static async Task<Results<Ok<PageResponse<OrchestrationResponse>>, ProblemHttpResult>> ListOrchestrationsAsync(
        QueryOrchestrations query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        string? status = null, string? type = null, int limit = PageRequest.DefaultLimit, string? cursor = null)
    {
        ArgumentNullException.ThrowIfNull(query);
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

    public static async Task<Results<Ok<OrchestrationResponse>, ProblemHttpResult>> GetOrchestrationAsync(
        string instanceId, QueryOrchestrations query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.GetAsync(user.Caller(), instanceId, cancellationToken);
        return outcome.Value is { } instance ? TypedResults.Ok(OrchestrationResponse.From(instance)) : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<QueuesResponse>, ProblemHttpResult>> GetQueuesAsync(
        QueryQueueCounts query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.ExecuteAsync(user.Caller(), cancellationToken);
        return outcome.Value is { } counts
            ? TypedResults.Ok(new QueuesResponse([.. counts.Select(c => new QueueResponse(c.Queue, c.Active, c.Scheduled, c.DeadLettered))]))
            : outcome.Failure!.ToProblem(context);
    }
}
