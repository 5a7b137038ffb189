using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core;
using Workforce.Core.Tasks;

namespace Workforce.Api.Tasks;

/// <summary>
/// The handlers of <c>PATCH</c> and <c>DELETE /api/v1/tasks/{id}</c> (tenant key). A task's entity tag is its
/// revision, <c>"3"</c>: GET and PATCH answer with it in <c>ETag</c>, and both take it in <c>If-Match</c> so that a
/// change made since the caller read the task is not overwritten (412).
/// </summary>
public static class TaskEditEndpoints
{
    /// <summary>The media type of a JSON merge patch (RFC 7396); <c>application/json</c> is read the same way.</summary>
    public const string MergePatchJson = "application/merge-patch+json";

    public static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, TaskPatchRequest patch, UpdateTask update, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        [FromHeader(Name = "If-Match")] string? ifMatch = null)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(update);
        if (!TryParseIfMatch(ifMatch, out var expected))
        {
            return BadIfMatch.ToProblem(context);
        }

        var command = patch.ToCommand(expected);
        if (command.Failure is { } refused)
        {
            return refused.ToProblem(context);
        }

        var outcome = await update.ExecuteAsync(user.Caller(), id, command.Value!, cancellationToken);
        if (outcome.Value is not { } task)
        {
            return outcome.Failure!.ToProblem(context);
        }

        WriteETag(context, task);
        return TypedResults.Ok(TaskResponse.From(task));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, DeleteTask delete, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        [FromHeader(Name = "If-Match")] string? ifMatch = null)
    {
        ArgumentNullException.ThrowIfNull(delete);
        if (!TryParseIfMatch(ifMatch, out var expected))
        {
            return BadIfMatch.ToProblem(context);
        }

        var outcome = await delete.ExecuteAsync(user.Caller(), id, expected, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem(context);
    }

    /// <summary>The task's entity tag: its revision, quoted (a strong tag: every change of the task is a new revision).</summary>
    public static string ETagOf(WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return "\"" + task.Revision.ToString(CultureInfo.InvariantCulture) + "\"";
    }

    public static void WriteETag(HttpContext context, WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.ETag = ETagOf(task);
    }

    private static readonly Failure BadIfMatch =
        Failure.Invalid("If-Match", "If-Match takes the task's ETag as GET returned it (a quoted revision, \"3\"), or *.");

    /// <summary>No header or <c>*</c>: any revision. Otherwise one strong tag holding a revision; a weak tag never matches strongly, so it is refused as unusable.</summary>
    private static bool TryParseIfMatch(string? header, out int? revision)
    {
        revision = null;
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
        {
            return true;
        }

        if (EntityTagHeaderValue.TryParse(header.Trim(), out var tag) && !tag.IsWeak
            && int.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1)
        {
            revision = parsed;
            return true;
        }

        return false;
    }
}
