using Workforce.Core;
using Workforce.Orchestrations.Durable;

namespace Workforce.Api.Operations;

/// <summary>An orchestration instance as operators see it; input, output and custom status are the raw JSON.</summary>
public sealed record OrchestrationResponse(
    string InstanceId,
    string Name,
    OrchestrationRuntimeStatus Status,
    RawJson? CustomStatus,
    RawJson? Input,
    RawJson? Output,
    FailureDetails? Failure,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    DateTimeOffset? CompletedAt)
{
    public static OrchestrationResponse From(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new(instance.InstanceId, instance.Name, instance.RuntimeStatus, Json(instance.SerializedCustomStatus), Json(instance.SerializedInput),
            Json(instance.SerializedOutput), instance.FailureDetails, instance.CreatedAt, instance.LastUpdatedAt, instance.CompletedAt);
    }

    private static RawJson? Json(string? text) => text is null ? null : new RawJson(text);
}

/// <summary>Messages of one queue, counting only the caller's tenant's.</summary>
public sealed record QueueResponse(string Name, long Active, long Scheduled, long DeadLettered);

public sealed record QueuesResponse(IReadOnlyList<QueueResponse> Items);
