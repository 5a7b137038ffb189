using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Workforce.Api.Http;
using Workforce.Core;
using Workforce.Core.Tasks;

namespace Workforce.Api.Tasks;

/// <summary>The tasks one lease handed out (<c>lease?max=N</c>): 1 to N, in lease order.</summary>
public sealed record LeasedTasksResponse(IReadOnlyList<TaskResponse> Items)
{
    public static LeasedTasksResponse From(IReadOnlyList<WorkTask> tasks) => new([.. tasks.Select(TaskResponse.From)]);
}

/// <summary>A task's outcome and the tasks leased for its agent with it (<c>complete?next=N</c>, <c>fail?next=N</c>); next may be empty.</summary>
public sealed record FinishedTaskResponse(TaskResponse Task, IReadOnlyList<TaskResponse> Next)
{
    public static FinishedTaskResponse From(FinishedTask finished)
    {
        ArgumentNullException.ThrowIfNull(finished);
        return new(TaskResponse.From(finished.Task), [.. finished.Next.Select(TaskResponse.From)]);
    }
}

/// <summary>The answer to each task of a batch submission, in request order.</summary>
public sealed record BatchSubmissionResponse(IReadOnlyList<BatchItemResponse> Items)
{
    public static BatchSubmissionResponse From(IReadOnlyList<Outcome<SubmittedTask>> outcomes) =>
        new([.. outcomes.Select(BatchItemResponse.From)]);
}

/// <summary>Either <c>{"status": 202, "task": …}</c> (replayed set for an idempotent replay) or <c>{"status": 4xx, "problem": …}</c>.</summary>
public sealed record BatchItemResponse(
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TaskResponse? Task,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ItemProblem? Problem)
{
    /// <summary>True when the item's idempotency key returned an earlier submission (the Idempotent-Replayed header of a single submission).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Replayed { get; init; }

    public static BatchItemResponse From(Outcome<SubmittedTask> outcome)
    {
        if (outcome.Value is { } submitted)
        {
            return new(StatusCodes.Status202Accepted, TaskResponse.From(submitted.Task), null) { Replayed = submitted.Replayed };
        }

        var problem = ItemProblem.Of(outcome.Failure!);
        return new(problem.Status, null, problem);
    }
}

/// <summary>A refused item, described as the single submission's problem+json would describe it.</summary>
public sealed record ItemProblem(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type,
    string Title,
    int Status,
    string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors)
{
    /// <summary>Seconds after which a refusal for a full queue or a quota may be tried again (the Retry-After header of a single submission).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RetryAfter { get; init; }

    /// <summary>A quota refusal's meter, use and limit, as on the single submission's problem.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Meter { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Used { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Limit { get; init; }

    public static ItemProblem Of(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var status = Problems.StatusCode(failure.Kind);
        return new(failure.Type, ReasonPhrases.GetReasonPhrase(status), status, failure.Detail, failure.Errors)
        {
            RetryAfter = failure.RetryAfter is { } after ? (int)Math.Ceiling(after.TotalSeconds) : null,
            Meter = failure.Extensions?.GetValueOrDefault("meter") as string,
            Used = failure.Extensions?.GetValueOrDefault("used") as decimal?,
            Limit = failure.Extensions?.GetValueOrDefault("limit") as decimal?,
        };
    }
}
