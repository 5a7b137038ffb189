namespace Workforce.Core.Usage;

/// <summary>
/// One metered occurrence: a task accepted, an attempt's running time, a batch of API calls, a change of stored
/// bytes. Its <see cref="Id"/> is unique in the tenant and names the occurrence (<c>task:{id}</c>,
/// <c>compute:{task}:{attempt}</c>), so metering it twice counts it once: a store ignores an id it has kept, and it
/// keeps ids for the period and its grace window.
/// </summary>
public sealed record UsageEvent(string Id, Meter Meter, long Quantity, DateTimeOffset OccurredAt)
{
    public const int MaxIdLength = 200;

    public static UsageEvent TaskAccepted(Guid taskId, DateTimeOffset at) => new($"task:{taskId:N}", Meter.Tasks, 1, at);

    /// <summary>An attempt's running time, to the second (a started second counts whole).</summary>
    public static UsageEvent AttemptRan(Guid taskId, int attempt, DateTimeOffset started, DateTimeOffset ended) =>
        new($"compute:{taskId:N}:{attempt}", Meter.ComputeMinutes, (long)Math.Ceiling(Math.Max(0, (ended - started).TotalSeconds)), ended);

    /// <summary>Bytes a task keeps (its payload, then its result).</summary>
    public static UsageEvent Stored(string id, long bytes, DateTimeOffset at) => new(id, Meter.StorageBytes, bytes, at);

    /// <summary>The bytes a purged task kept, given back; timed by its finishing, so a purge that runs again gives them back once.</summary>
    public static UsageEvent Freed(Guid taskId, long bytes, DateTimeOffset finishedAt) => new($"freed:{taskId:N}", Meter.StorageBytes, -bytes, finishedAt);
}
