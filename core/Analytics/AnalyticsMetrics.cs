using Workforce.Core.Tasks;

namespace Workforce.Core.Analytics;

/// <summary>Where a metric is read from: the task series (filterable by type, priority and agent) or the tenant's gauges.</summary>
public enum MetricSource
{
    Tasks,
    Gauges,
}

/// <summary>A metric the analytics API serves: how to read one step's value out of its rollups.</summary>
/// <param name="Read">The value of one step of the given length; null when there is nothing to read it from.</param>
public sealed record AnalyticsMetric(string Name, string Unit, MetricSource Source, string Description, Func<RollupValues, TimeSpan, TaskPriority?, double?> Read);

/// <summary>The catalogue of metrics, by the names the API takes.</summary>
public static class AnalyticsMetrics
{
    public static IReadOnlyList<AnalyticsMetric> All { get; } =
    [
        Count("submitted", AnalyticsValues.Submitted, "Tasks accepted."),
        Count("completed", AnalyticsValues.Completed, "Tasks completed."),
        Count("failed", AnalyticsValues.Failed, "Tasks that failed for good."),
        Count("cancelled", AnalyticsValues.Cancelled, "Tasks cancelled."),
        Count("retried", AnalyticsValues.Retried, "Attempts that ended without finishing their task: failed with retries left, timed out, handed back."),
        new("throughput", "tasks/min", MetricSource.Tasks, "Tasks completed per minute.",
            (values, step, _) => values.Counter(AnalyticsValues.Completed) / step.TotalMinutes),
        new("errorRate", "%", MetricSource.Tasks, "Tasks failed for good, as a share of those that finished (completed or failed).",
            (values, _, _) => ErrorRate(values)),
        Percentile("scheduleToStartP50", AnalyticsValues.ScheduleToStart, 0.50),
        Percentile("scheduleToStartP95", AnalyticsValues.ScheduleToStart, 0.95),
        Percentile("scheduleToStartP99", AnalyticsValues.ScheduleToStart, 0.99),
        Percentile("runTimeP50", AnalyticsValues.RunTime, 0.50),
        Percentile("runTimeP95", AnalyticsValues.RunTime, 0.95),
        Percentile("runTimeP99", AnalyticsValues.RunTime, 0.99),
        new("queueDepth", "tasks", MetricSource.Gauges, "Pending tasks (of the priority asked for, or all), averaged over the step's samples.",
            (values, _, priority) => QueueDepth(values, priority)),
        new("onlineAgents", "agents", MetricSource.Gauges, "Agents not offline, averaged over the step's samples.",
            (values, _, _) => values.Average(AnalyticsValues.AgentsOnline)),
        new("utilisation", "%", MetricSource.Gauges, "Busy slots as a share of the online agents' capacity.",
            (values, _, _) => Utilisation(values)),
        new("apiCalls", "calls", MetricSource.Gauges, "Authenticated API calls metered.",
            (values, _, _) => values.Counter(AnalyticsValues.ApiCalls)),
    ];

    public static AnalyticsMetric? Find(string? name) => All.FirstOrDefault(metric => string.Equals(metric.Name, name, StringComparison.OrdinalIgnoreCase));

    public static double? ErrorRate(RollupValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var failed = values.Counter(AnalyticsValues.Failed);
        var finished = failed + values.Counter(AnalyticsValues.Completed);
        return finished == 0 ? null : 100.0 * failed / finished;
    }

    public static double? Utilisation(RollupValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var capacity = values.SampleSum(AnalyticsValues.SlotsCapacity);
        return capacity == 0 ? null : 100.0 * values.SampleSum(AnalyticsValues.SlotsBusy) / capacity;
    }

    public static double? QueueDepth(RollupValues values, TaskPriority? priority)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (priority is { } one)
        {
            return values.Average(AnalyticsValues.QueueDepth(one));
        }

        var averages = TaskPriorities.All.Select(each => values.Average(AnalyticsValues.QueueDepth(each))).Where(average => average is not null).ToList();
        return averages.Count == 0 ? null : averages.Sum();
    }

    private static AnalyticsMetric Count(string name, string counter, string description) =>
        new(name, "tasks", MetricSource.Tasks, description, (values, _, _) => values.Counter(counter));

    private static AnalyticsMetric Percentile(string name, string histogram, double quantile) =>
        new(name, "ms", MetricSource.Tasks, $"The {quantile * 100:0}th percentile of {(histogram == AnalyticsValues.RunTime ? "attempts' run time" : "schedule-to-start latency")}.",
            (values, _, _) => values.Histogram(histogram)?.Quantile(quantile));
}
