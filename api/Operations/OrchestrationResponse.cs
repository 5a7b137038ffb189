using Microsoft.DurableTask.Client;
using Workforce.Core;

namespace Workforce.Api.Operations;

/// <summary>
/// An orchestration instance as operators see it; input, output and custom status are the raw JSON. Durable Task
/// keeps no completion time: a finished instance was last updated when it finished.
/// </summary>
public sealed record OrchestrationResponse(
    string InstanceId,
    string Name,
    OrchestrationRuntimeStatus Status,
    RawJson? CustomStatus,
    RawJson? Input,
    RawJson? Output,
    OrchestrationFailure? Failure,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    DateTimeOffset? CompletedAt)
{
    public static OrchestrationResponse From(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new(instance.InstanceId, instance.Name, instance.RuntimeStatus, Json(instance.SerializedCustomStatus), Json(instance.SerializedInput),
            Json(instance.SerializedOutput), instance.FailureDetails is { } failure ? new OrchestrationFailure(failure.ErrorType, failure.ErrorMessage) : null,
            instance.CreatedAt, instance.LastUpdatedAt, instance.IsCompleted ? instance.LastUpdatedAt : null);
    }

    private static RawJson? Json(string? text) => text is null ? null : new RawJson(text);
}

/// <summary>Why an orchestration failed: the error's type and message (never its stack trace).</summary>
public sealed record OrchestrationFailure(string ErrorType, string ErrorMessage);

/// <summary>Messages of one queue, counting only the caller's tenant's.</summary>
public sealed record QueueResponse(string Name, long Active, long Scheduled, long DeadLettered);

public sealed record QueuesResponse(IReadOnlyList<QueueResponse> Items);
