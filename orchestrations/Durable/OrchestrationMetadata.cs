using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workforce.Orchestrations.Durable;

/// <summary>Mirrors Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.</summary>
public enum OrchestrationRuntimeStatus
{
    Running = 0,
    Completed = 1,
    ContinuedAsNew = 2,
    Failed = 3,
    Canceled = 4,
    Terminated = 5,
    Pending = 6,
    Suspended = 7,
}

public static class OrchestrationRuntimeStatuses
{
    public static bool IsTerminal(this OrchestrationRuntimeStatus status) =>
        status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed
            or OrchestrationRuntimeStatus.Canceled or OrchestrationRuntimeStatus.Terminated;
}

/// <summary>An orchestration instance as the status APIs show it; mirrors Microsoft.DurableTask.Client.OrchestrationMetadata.</summary>
public sealed record OrchestrationMetadata(string Name, string InstanceId)
{
    public OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastUpdatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? SerializedInput { get; init; }

    public string? SerializedOutput { get; init; }

    public string? SerializedCustomStatus { get; init; }

    public FailureDetails? FailureDetails { get; init; }

    public bool IsCompleted => RuntimeStatus.IsTerminal();

    public T? ReadOutputAs<T>() => Read<T>(SerializedOutput);

    public T? ReadCustomStatusAs<T>() => Read<T>(SerializedCustomStatus);

    private static T? Read<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, DurableJson.Options);
}

/// <summary>Mirrors Microsoft.DurableTask.Client.OrchestrationQuery.</summary>
public sealed record OrchestrationQuery
{
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }

    public string? InstanceIdPrefix { get; init; }

    public DateTimeOffset? CreatedFrom { get; init; }

    public DateTimeOffset? CreatedTo { get; init; }

    public int PageSize { get; init; } = 100;

    public string? ContinuationToken { get; init; }

    public bool FetchInputsAndOutputs { get; init; }
}

public sealed record OrchestrationPage(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);

/// <summary>Mirrors Microsoft.DurableTask.Client.PurgeInstancesFilter; <see cref="Limit"/> bounds one purge so it never runs long.</summary>
public sealed record PurgeInstancesFilter(DateTimeOffset? CreatedFrom = null, DateTimeOffset? CreatedTo = null, IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses = null)
{
    public int? Limit { get; init; }
}

public sealed record PurgeResult(int PurgedInstanceCount);

/// <summary>
/// The JSON used for inputs, outputs, events and custom status, on every host: camelCase, enums by name, so that
/// what operators read in the orchestration views is the API's own vocabulary.
/// </summary>
public static class DurableJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
