using Workforce.Core.Tasks;

namespace Workforce.Core.Analytics;

public enum RollupResolution
{
    Minute,
    Hour,
}

/// <summary>One series' values over one minute or hour of a tenant's history.</summary>
public sealed record AnalyticsRollup(string Series, RollupResolution Resolution, DateTimeOffset Start, RollupValues Values)
{
    public static TimeSpan LengthOf(RollupResolution resolution) =>
        resolution == RollupResolution.Minute ? TimeSpan.FromMinutes(1) : TimeSpan.FromHours(1);

    public static DateTimeOffset StartOf(RollupResolution resolution, DateTimeOffset at)
    {
        var length = LengthOf(resolution).Ticks;
        return new DateTimeOffset(at.UtcTicks - (at.UtcTicks % length), TimeSpan.Zero);
    }
}

/// <summary>
/// The series a tenant's history is kept in. Names are chosen so that no name is a prefix of another kind's:
/// <c>tasks</c> (all of the tenant's tasks) and <c>task|…</c> (by priority and type), <c>gauges</c>, <c>agent|…</c>.
/// </summary>
public static class AnalyticsSeries
{
    /// <summary>Every task of the tenant, whatever its type and priority.</summary>
    public const string Tasks = "tasks";

    /// <summary>Prefix of the per-priority, per-type task series.</summary>
    public const string TaskBreakdown = "task|";

    /// <summary>The tenant's sampled levels: queue depth per priority, agents online, slots busy and available; and API calls.</summary>
    public const string Gauges = "gauges";

    public const string AgentPrefix = "agent|";

    /// <summary>Prefix of the per-capability-set task series: what forecasting and scaling advice are made per.</summary>
    public const string CapabilitySetPrefix = "capabilities|";

    /// <summary>The set a task's required capabilities name, sorted (<c>*</c> when it needs none: any agent takes it).</summary>
    public const string AnyCapability = "*";

    public const string ServerPrefix = "server|";

    /// <summary>The partition of what belongs to no tenant: the servers. No tenant id can take this form.</summary>
    public const string PlatformTenant = "_platform";

    public static string TasksOf(TaskPriority priority, string type) => $"{TaskBreakdown}{TaskPriorities.Name(priority)}|{type}";

    public static string TasksOf(TaskPriority priority) => $"{TaskBreakdown}{TaskPriorities.Name(priority)}|";

    public static string Agent(Guid agentId) => $"{AgentPrefix}{agentId:N}";

    public static string CapabilitySet(IReadOnlyList<string>? capabilities) =>
        CapabilitySetPrefix + (capabilities is null or { Count: 0 } ? AnyCapability : string.Join(',', capabilities.Order(StringComparer.Ordinal)));

    public static string Server(string name) => ServerPrefix + name;

    /// <summary>Reads a breakdown series' priority and type back; false for any other series.</summary>
    public static bool TryParseBreakdown(string series, out TaskPriority priority, out string type)
    {
        ArgumentNullException.ThrowIfNull(series);
        priority = default;
        type = "";
        if (!series.StartsWith(TaskBreakdown, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = series.AsSpan(TaskBreakdown.Length);
        var bar = rest.IndexOf('|');
        if (bar < 0 || TaskPriorities.Parse(rest[..bar].ToString()) is not { } parsed)
        {
            return false;
        }

        priority = parsed;
        type = rest[(bar + 1)..].ToString();
        return true;
    }
}

/// <summary>The names of the counters, histograms and gauges inside rollups.</summary>
public static class AnalyticsValues
{
    public const string Submitted = "submitted";
    public const string Completed = "completed";

    /// <summary>Tasks that failed for good.</summary>
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>Attempts that ended without finishing the task (failed with retries left, timed out, handed back).</summary>
    public const string Retried = "retried";
    public const string ApiCalls = "apiCalls";

    /// <summary>Histogram: from when a task could first be leased (after any backoff) to its lease.</summary>
    public const string ScheduleToStart = "scheduleToStart";

    /// <summary>Histogram: how long each attempt ran, however it ended.</summary>
    public const string RunTime = "runTime";

    /// <summary>The milliseconds attempts ran, summed: busy agent time (a slot's worth per running attempt).</summary>
    public const string BusyMs = "busyMs";

    public static string QueueDepth(TaskPriority priority) => "queue." + TaskPriorities.Name(priority);
    public const string AgentsOnline = "agents.online";
    public const string SlotsBusy = "slots.busy";
    public const string SlotsCapacity = "slots.capacity";

    /// <summary>Agent and server gauges. CPU is kept in hundredths of a percent, memory in MiB.</summary>
    public const string CpuCentiPercent = "cpu";
    public const string MemoryMb = "memoryMb";
    public const string Threads = "threads";
    public const string ManagedHeapMb = "heapMb";
    public const string DiskFreeMb = "diskFreeMb";
    public const string DiskTotalMb = "diskTotalMb";
    public const string UptimeSeconds = "uptimeSeconds";
}
