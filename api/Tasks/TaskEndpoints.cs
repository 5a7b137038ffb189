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

    /// <summary>start only means something with next, and is refused before anything moves.</summary>
    private static readonly Failure StartNeedsNext =
        Failure.Invalid("start", "start=true starts the tasks leased with next: give next=N (1 to 100) with it.");

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

    /// <summary>Without next, the task (v1); with next, the task and up to next tasks leased for its agent.</summary>
    public static async Task<Results<Ok<TaskResponse>, Ok<FinishedTaskResponse>, ProblemHttpResult>> CompleteAsync(
        Guid id, [FromBody] CompleteTaskCommand? command, MoveTask move, FinishTaskAndLease finishing, ClaimsPrincipal user, HttpContext context,
        CancellationToken cancellationToken, int? next = null, bool start = false)
    {
        ArgumentNullException.ThrowIfNull(move);
        ArgumentNullException.ThrowIfNull(finishing);
        if (next is null && start)
        {
            return StartNeedsNext.ToProblem(context);
        }

        command ??= new CompleteTaskCommand();
        return next is { } count
            ? Respond(await finishing.CompleteAsync(user.Caller(), id, command, count, start, cancellationToken), context)
            : RespondOne(await move.CompleteAsync(user.Caller(), id, command, cancellationToken), context);
    }

    /// <summary>Without next, the task (v1); with next, the task and up to next tasks leased for its agent.</summary>
    public static async Task<Results<Ok<TaskResponse>, Ok<FinishedTaskResponse>, ProblemHttpResult>> FailAsync(
        Guid id, FailTaskCommand command, MoveTask move, FinishTaskAndLease finishing, ClaimsPrincipal user, HttpContext context,
        CancellationToken cancellationToken, int? next = null, bool start = false)
    {
        ArgumentNullException.ThrowIfNull(move);
        ArgumentNullException.ThrowIfNull(finishing);
        if (next is null && start)
        {
            return StartNeedsNext.ToProblem(context);
        }

        return next is { } count
            ? Respond(await finishing.FailAsync(user.Caller(), id, command, count, start, cancellationToken), context)
            : RespondOne(await move.FailAsync(user.Caller(), id, command, cancellationToken), context);
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

    /// <summary>The v1 answer of complete and fail, in the union of their answers with next.</summary>
    private static Results<Ok<TaskResponse>, Ok<FinishedTaskResponse>, ProblemHttpResult> RespondOne(Outcome<WorkTask> outcome, HttpContext context) =>
        outcome.Value is { } task ? TypedResults.Ok(TaskResponse.From(task)) : outcome.Failure!.ToProblem(context);

    private static Results<Ok<TaskResponse>, Ok<FinishedTaskResponse>, ProblemHttpResult> Respond(Outcome<FinishedTask> outcome, HttpContext context) =>
        outcome.Value is { } finished ? TypedResults.Ok(FinishedTaskResponse.From(finished)) : outcome.Failure!.ToProblem(context);
}
