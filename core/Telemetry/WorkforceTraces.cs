using System.Diagnostics;

namespace Workforce.Core.Telemetry;

/// <summary>
/// The platform's spans: one <see cref="ActivitySource"/> named "Workforce" for every host, so an OpenTelemetry
/// tracer (or Application Insights) subscribes once. The BCL's own type, so core stays free of OpenTelemetry; without
/// a listener <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null and costs next to nothing.
/// </summary>
public static class WorkforceTraces
{
    public const string SourceName = "Workforce";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// The current W3C trace context as a <c>traceparent</c> header value, or null when there is no W3C activity
    /// (no listener and no incoming trace, or the hierarchical id format).
    /// </summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>A span continuing the trace of a stored <c>traceparent</c>; a plain root span when there is none or it does not parse.</summary>
    public static Activity? StartFrom(string name, ActivityKind kind, string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState: null, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind);

    /// <summary>Marks a span failed with the reason, as OpenTelemetry's status convention asks.</summary>
    public static void Fail(this Activity? activity, string? reason)
    {
        activity?.SetStatus(ActivityStatusCode.Error, reason);
    }
}
