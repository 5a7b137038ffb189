using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workforce.Core;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Server.Auth;
using Workforce.Server.Http;

namespace Workforce.Server.Tasks;

internal static class TasksApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string IdempotentReplayHeader = "Idempotent-Replayed";

    public static RouteGroupBuilder MapTasksApi(this RouteGroupBuilder api)
    {
        var tasks = api.MapGroup("").WithTags("Tasks");

        tasks.MapPost(ApiRoutes.Tasks, SubmitAsync)
            .WithSummary("Submit a task")
            .WithDescription("Accepted once durable. With an Idempotency-Key header, the same key within 24 h returns the same task. " +
                "429 with Retry-After when the tenant's queue is full.");
        tasks.MapGet(ApiRoutes.Tasks, ListAsync).WithSummary("List tasks, newest first");
        tasks.MapGet(ApiRoutes.Task, GetAsync).WithSummary("Get a task with the history of its state changes");
        tasks.MapPost(ApiRoutes.TaskStart, StartAsync).WithSummary("Start an assigned task (→ running)");
        tasks.MapPost(ApiRoutes.TaskComplete, CompleteAsync).WithSummary("Complete a task (→ completed)");
        tasks.MapPost(ApiRoutes.TaskFail, FailAsync)
            .WithSummary("Fail a task")
            .WithDescription("Retryable failures with attempts left go back to pending after an exponential backoff; others are final.");
        tasks.MapPost(ApiRoutes.TaskCancel, CancelAsync).WithSummary("Cancel a task (tenant key)");
        return api;
    }

    private static async Task<Results<Accepted<TaskResponse>, ProblemHttpResult>> SubmitAsync(
        SubmitTaskCommand command, SubmitTask submit, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey = null)
    {
        var outcome = await submit.ExecuteAsync(user.Caller(), command, idempotencyKey, cancellationToken);
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

    private static async Task<Results<Ok<PageResponse<TaskResponse>>, ProblemHttpResult>> ListAsync(
        QueryTasks query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        string? state = null, string? priority = null, Guid? agentId = null, int limit = PageRequest.DefaultLimit, string? cursor = null)
    {
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

    private static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> GetAsync(
        Guid id, QueryTasks query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await query.GetAsync(user.Caller(), id, cancellationToken);
        return outcome.Value is { } details
            ? TypedResults.Ok(TaskResponse.From(details.Task) with { History = [.. details.History.Select(TaskTransitionResponse.Of)] })
            : outcome.Failure!.ToProblem(context);
    }

    private static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> StartAsync(
        Guid id, MoveTask move, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        Respond(await move.StartAsync(user.Caller(), id, cancellationToken), context);

    private static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> CompleteAsync(
        Guid id, [FromBody] CompleteTaskCommand? command, MoveTask move, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        Respond(await move.CompleteAsync(user.Caller(), id, command ?? new CompleteTaskCommand(), cancellationToken), context);

    private static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> FailAsync(
        Guid id, FailTaskCommand command, MoveTask move, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        Respond(await move.FailAsync(user.Caller(), id, command, cancellationToken), context);

    private static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> CancelAsync(
        Guid id, MoveTask move, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        Respond(await move.CancelAsync(user.Caller(), id, cancellationToken), context);

    private static Results<Ok<TaskResponse>, ProblemHttpResult> Respond(Outcome<WorkTask> outcome, HttpContext context) =>
        outcome.Value is { } task ? TypedResults.Ok(TaskResponse.From(task)) : outcome.Failure!.ToProblem(context);
}
