using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;

namespace Workforce.Api.Tasks;

/// <summary>The handlers of the v1 task routes: parse, call the use case, map the outcome.</summary>
public static class TaskEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string IdempotentReplayHeader = "Idempotent-Replayed";

    public static async Task<Results<Accepted<TaskResponse>, ProblemHttpResult>> SubmitAsync(
        SubmitTaskCommand command, SubmitTask submit, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(submit);
        return Accept(await submit.ExecuteAsync(user.Caller(), command, idempotencyKey, cancellationToken), context);
    }

    public static async Task<Results<Accepted<TaskResponse>, ProblemHttpResult>> RetryAsync(
        Guid id, RetryTask retry, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(retry);
        return Accept(await retry.ExecuteAsync(user.Caller(), id, idempotencyKey, cancellationToken), context);
    }

    public static async Task<Results<Ok<PageResponse<TaskResponse>>, ProblemHttpResult>> ListAsync(
        QueryTasks query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        string? state = null, string? priority = null, Guid? agentId = null, int limit = PageRequest.DefaultLimit, string? cursor = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new FieldErrors();
        ApiEnums.TryParseOptional<TaskState>(state, "state", errors, out var parsedState);
        ApiEnums.TryParseOptional<TaskPriority>(priority, "priority", errors, out var parsedPriority);
        if (errors.Any)
        {
            return errors.ToFailure().ToProblem(context);
        }

        var outcome = await query.ListAsync(user.Caller(), new TaskFilter(parsedState, parsedPriority, agentId), new PageRequest(limit, cursor), cancellationToken);
        return outcome.Value is { } page
            ? TypedResults.Ok(PageResponse<TaskResponse>.From(page, TaskResponse.From))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> GetAsync(
        Guid id, QueryTasks query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.GetAsync(user.Caller(), id, cancellationToken);
        if (outcome.Value is not { } details)
        {
            return outcome.Failure!.ToProblem(context);
        }

        // The revision, for If-Match on PATCH and DELETE (TaskEditEndpoints).
        TaskEditEndpoints.WriteETag(context, details.Task);
        return TypedResults.Ok(TaskResponse.From(details.Task) with { History = [.. details.History.Select(TaskTransitionResponse.Of)] });
    }

    public static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> StartAsync(
        Guid id, MoveTask move, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(move);
        return Respond(await move.StartAsync(user.Caller(), id, cancellationToken), context);
    }

    public static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> CompleteAsync(
        Guid id, [FromBody] CompleteTaskCommand? command, MoveTask move, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(move);
        return Respond(await move.CompleteAsync(user.Caller(), id, command ?? new CompleteTaskCommand(), cancellationToken), context);
    }

    public static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> FailAsync(
        Guid id, FailTaskCommand command, MoveTask move, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(move);
        return Respond(await move.FailAsync(user.Caller(), id, command, cancellationToken), context);
    }

    public static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> CancelAsync(
        Guid id, MoveTask move, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(move);
        return Respond(await move.CancelAsync(user.Caller(), id, cancellationToken), context);
    }

    private static Results<Accepted<TaskResponse>, ProblemHttpResult> Accept(Outcome<SubmittedTask> outcome, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (outcome.Value is not { } submitted)
        {
            return outcome.Failure!.ToProblem(context);
        }

        if (submitted.Replayed)
        {
            context.Response.Headers[IdempotentReplayHeader] = "true";
        }

        return TypedResults.Accepted(ApiRoutes.TaskLocation(submitted.Task.Id), TaskResponse.From(submitted.Task));
    }

    private static Results<Ok<TaskResponse>, ProblemHttpResult> Respond(Outcome<WorkTask> outcome, HttpContext context) =>
        outcome.Value is { } task ? TypedResults.Ok(TaskResponse.From(task)) : outcome.Failure!.ToProblem(context);
}
