using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core.Tasks;

namespace Workforce.Api.Tasks;

/// <summary>The handler of the batch submission route: up to 500 tasks in one request and one store transaction.</summary>
public static class TaskBatchEndpoints
{
    public static async Task<Results<Accepted<BatchSubmissionResponse>, ProblemHttpResult>> SubmitAsync(
        SubmitTasksCommand command, SubmitTasks submit, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submit);
        var outcome = await submit.ExecuteAsync(user.Caller(), command, cancellationToken);
        return outcome.Value is { } items
            ? TypedResults.Accepted((string?)null, BatchSubmissionResponse.From(items))
            : outcome.Failure!.ToProblem(context);
    }
}
