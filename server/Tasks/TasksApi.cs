using Workforce.Api.Tasks;
using Workforce.Core;
using Workforce.Server.Http;

namespace Workforce.Server.Tasks;

internal static class TasksApi
{
    public static RouteGroupBuilder MapTasksApi(this RouteGroupBuilder api)
    {
        var tasks = api.MapGroup("").WithTags("Tasks");

        tasks.MapPost(ApiRoutes.Tasks, TaskEndpoints.SubmitAsync)
            .WithSummary("Submit a task")
            .WithDescription("Accepted once durable. With an Idempotency-Key header, the same key within 24 h returns the same task. " +
                "429 with Retry-After when the tenant's queue is full.");
        tasks.MapPost(ApiRoutes.TaskBatch, TaskBatchEndpoints.SubmitAsync)
            .WithSummary("Submit up to 500 tasks at once")
            .WithDescription("Body {\"tasks\": [SubmitTask + optional idempotencyKey, ...]}, accepted in one transaction. 202 with items in request order, " +
                "each {\"status\": 202, \"task\": Task} or {\"status\": 4xx, \"problem\": ...}: every task is validated, replayed under its key, and " +
                "held to the queue limit and quotas as a single submission would be; one refusal does not refuse the others.");
        tasks.MapGet(ApiRoutes.Tasks, TaskEndpoints.ListAsync).WithSummary("List tasks, newest first");
        tasks.MapGet(ApiRoutes.Task, TaskEndpoints.GetAsync).WithSummary("Get a task with the history of its state changes");
        tasks.MapPatch(ApiRoutes.Task, TaskEditEndpoints.UpdateAsync)
            .Accepts<TaskPatchRequest>(TaskEditEndpoints.MergePatchJson, "application/json")
            .WithSummary("Change a pending task's priority, payload, required capabilities or deadline (tenant key)")
            .WithDescription("A JSON merge patch (RFC 7396, application/merge-patch+json or application/json): members left out stay, null removes " +
                "(payload, deadline, requiredCapabilities), other members cannot change. Checked as a submission is. A changed priority puts the task at " +
                "the end of that priority's line, as a new submission would. 409 unless the task is pending; with If-Match (the ETag of GET, the task's " +
                "revision) 412 when the task changed since. Answers with the task and its new ETag.");
        tasks.MapDelete(ApiRoutes.Task, TaskEditEndpoints.DeleteAsync)
            .WithSummary("Delete a task's record (tenant key)")
            .WithDescription("An unfinished task is cancelled first (its workflow ends, its agent's slot is freed); then the task and its history are gone: " +
                "GET gives 404. Usage already metered stays; an Idempotency-Key of its submission, replayed, gives 409. If-Match as for PATCH. 204.");
        tasks.MapPost(ApiRoutes.TaskStart, TaskEndpoints.StartAsync).WithSummary("Start an assigned task (→ running)");
        tasks.MapPost(ApiRoutes.TaskComplete, TaskEndpoints.CompleteAsync)
            .WithSummary("Complete a task (→ completed)")
            .WithDescription("200 with the Task. With next=N (1-100), 200 with {\"task\": Task, \"next\": [Task, ...]}: the outcome plus up to N tasks " +
                "leased for the same agent (started too with start=true), without waiting; next may be empty.")
            .WithResponseUnion<TaskResponse, FinishedTaskResponse>();
        tasks.MapPost(ApiRoutes.TaskFail, TaskEndpoints.FailAsync)
            .WithSummary("Fail a task")
            .WithDescription("Retryable failures with attempts left go back to pending after an exponential backoff; others are final. " +
                "With next=N (1-100) the answer is {\"task\": Task, \"next\": [Task, ...]} as for complete.")
            .WithResponseUnion<TaskResponse, FinishedTaskResponse>();
        tasks.MapPost(ApiRoutes.TaskCancel, TaskEndpoints.CancelAsync).WithSummary("Cancel a task (tenant key)");
        tasks.MapPost(ApiRoutes.TaskRetry, TaskEndpoints.RetryAsync)
            .WithSummary("Retry a failed or cancelled task (tenant key)")
            .WithDescription("Submits the same work again as a new task (retryOf names the original), returned with its Location; the original keeps its outcome. " +
                "409 for a task that has not failed or been cancelled. Accepts an Idempotency-Key like submission.");
        return api;
    }
}
