using Workforce.Core.Agents;
using Workforce.Core.Billing;
using Workforce.Core.Plans;
using Workforce.Core.Reports;
using Workforce.Core.Tasks;
using Workforce.Core.Usage;

namespace Workforce.Core.Notifications;

/// <summary>
/// One event type of the catalogue: its level, what it means, its data fields, and the default wording of its
/// summary (an SMS, the live dashboard, an email's subject) and of its email body, in <see cref="TemplateText"/> syntax.
/// </summary>
public sealed record EventDefinition(string Type, NotificationLevel Level, string Description, IReadOnlyList<string> Fields, string Summary, string Body)
{
    /// <summary>The placeholders a template of this event may use: its fields and the envelope's.</summary>
    public IEnumerable<string> Placeholders => [.. NotificationEvents.EnvelopeFields, .. Fields];
}

/// <summary>
/// The catalogue of notification events, and how each is raised from the change that causes it. Names and fields
/// are a published contract: add, never rename or remove.
/// </summary>
public static class NotificationEvents
{
    public const string TaskFailed = "task.failed";
    public const string TaskCompleted = "task.completed";
    public const string TaskUpdated = "task.updated";
    public const string TaskDeleted = "task.deleted";
    public const string AgentOffline = "agent.offline";
    public const string AgentRemoved = "agent.removed";
    public const string QueueBacklog = "queue.backlog";
    public const string QuotaWarning = "quota.warning";
    public const string QuotaExceeded = "quota.exceeded";
    public const string InvoiceIssued = "invoice.issued";
    public const string PaymentSucceeded = "payment.succeeded";
    public const string PaymentFailed = "payment.failed";
    public const string SubscriptionSuspended = "subscription.suspended";
    public const string EndpointDisabled = "endpoint.disabled";
    public const string Test = "notification.test";
    public const string ReportReady = "report.ready";
    public const string ReportFailed = "report.failed";
    public const string AnomalyDetected = "anomaly.detected";
    public const string ScalingRecommended = "scaling.recommended";

    /// <summary>Fields every event has, usable in any template.</summary>
    public static IReadOnlyList<string> EnvelopeFields { get; } = ["id", "type", "level", "tenantId", "sequence", "occurredAt"];

    public static IReadOnlyList<EventDefinition> All { get; } =
    [
        new(TaskFailed, NotificationLevel.Critical, "A task failed for good: no attempts left, not retryable, past its deadline or timed out.",
            ["taskId", "taskType", "priority", "attempt", "error"],
            "Task {{taskType}} ({{taskId}}) failed after {{attempt}} attempt(s): {{error}}",
            "Task {{taskType}} ({{taskId}}, priority {{priority}}) failed for good after {{attempt}} attempt(s).\n\nError: {{error}}\n\nRetry it with POST /api/v1/tasks/{{taskId}}/retry."),
        new(TaskCompleted, NotificationLevel.Info, "A task completed. Raised only while an endpoint subscribes to it by name.",
            ["taskId", "taskType", "priority", "attempt", "agentId"],
            "Task {{taskType}} ({{taskId}}) completed.",
            "Task {{taskType}} ({{taskId}}, priority {{priority}}) completed on attempt {{attempt}} by agent {{agentId}}."),
        new(TaskUpdated, NotificationLevel.Info, "A pending task was changed (PATCH /api/v1/tasks/{id}). Raised only while an endpoint subscribes to it by name.",
            ["taskId", "taskType", "priority", "revision", "changed"],
            "Task {{taskType}} ({{taskId}}) was changed: {{changed}}.",
            "Task {{taskType}} ({{taskId}}) was changed ({{changed}}) and is at revision {{revision}}, priority {{priority}}."),
        new(TaskDeleted, NotificationLevel.Info, "A task's record was deleted (DELETE /api/v1/tasks/{id}); one that had not finished was cancelled first. Raised only while an endpoint subscribes to it by name.",
            ["taskId", "taskType", "priority", "state"],
            "Task {{taskType}} ({{taskId}}) was deleted while {{state}}.",
            "Task {{taskType}} ({{taskId}}, priority {{priority}}) was deleted while {{state}}. A task that had not finished was cancelled first; its usage stays on record."),
        new(AgentOffline, NotificationLevel.Warning, "An agent stopped sending heartbeats and was taken offline; its tasks went back to the queue.",
            ["agentId", "agentName", "lastHeartbeatAt", "releasedTasks"],
            "Agent {{agentName}} went offline; {{releasedTasks}} task(s) went back to the queue.",
            "Agent {{agentName}} ({{agentId}}) has sent no heartbeat since {{lastHeartbeatAt}} and was taken offline.\n\n{{releasedTasks}} task(s) it held went back to the queue."),
        new(AgentRemoved, NotificationLevel.Info, "An agent was removed; the tasks it held went back to the queue.",
            ["agentId", "agentName", "releasedTasks"],
            "Agent {{agentName}} was removed.",
            "Agent {{agentName}} ({{agentId}}) was removed; {{releasedTasks}} task(s) it held went back to the queue."),
        new(QueueBacklog, NotificationLevel.Warning, "The tenant's pending tasks rose to the backlog threshold.",
            ["pending", "threshold"],
            "{{pending}} tasks are waiting (threshold {{threshold}}): add agents or capacity.",
            "{{pending}} tasks are waiting for an agent, reaching the backlog threshold of {{threshold}}.\n\nRegister more agents or raise their capacity."),
        new(QuotaWarning, NotificationLevel.Warning, "A meter reached 80 % of its limit in this billing period.",
            ["meter", "percent", "used", "limit", "periodStart"],
            "{{percent}} % of the {{meter}} quota is used ({{used}} of {{limit}}).",
            "{{percent}} % of the {{meter}} quota of the billing period that began {{periodStart}} is used: {{used}} of {{limit}}.\n\nUpgrade the plan or allow overage to keep working past the limit."),
        new(QuotaExceeded, NotificationLevel.Critical, "A meter reached its limit in this billing period.",
            ["meter", "percent", "used", "limit", "periodStart"],
            "The {{meter}} quota is used up ({{used}} of {{limit}}).",
            "The {{meter}} quota of the billing period that began {{periodStart}} is used up: {{used}} of {{limit}}.\n\nUpgrade the plan or allow overage to keep working."),
        new(InvoiceIssued, NotificationLevel.Info, "A billing period closed and its invoice was issued.",
            ["invoiceId", "total", "currency", "periodStart", "periodEnd", "status"],
            "Invoice {{invoiceId}} for {{total}} {{currency}} was issued.",
            "Invoice {{invoiceId}} for the period {{periodStart}} to {{periodEnd}} was issued: {{total}} {{currency}} ({{status}})."),
        new(PaymentSucceeded, NotificationLevel.Info, "An invoice was paid.",
            ["invoiceId", "total", "currency", "attempt", "paymentId"],
            "Invoice {{invoiceId}} was paid: {{total}} {{currency}}.",
            "Invoice {{invoiceId}} was paid on attempt {{attempt}}: {{total}} {{currency}} (payment {{paymentId}})."),
        new(PaymentFailed, NotificationLevel.Critical, "A charge of an invoice failed; it is retried on the dunning schedule.",
            ["invoiceId", "total", "currency", "attempt", "reason"],
            "Payment of invoice {{invoiceId}} ({{total}} {{currency}}) failed: {{reason}}",
            "Charging invoice {{invoiceId}} ({{total}} {{currency}}) failed on attempt {{attempt}}: {{reason}}\n\nFix the payment method; the charge is retried on the dunning schedule."),
        new(SubscriptionSuspended, NotificationLevel.Critical, "The subscription was suspended for non-payment: tasks are refused until the invoice is paid.",
            ["invoiceId", "plan"],
            "The subscription was suspended: invoice {{invoiceId}} is unpaid.",
            "The {{plan}} subscription was suspended because invoice {{invoiceId}} stayed unpaid. New tasks are refused until it is paid (POST /api/v1/invoices/{{invoiceId}}/pay)."),
        new(EndpointDisabled, NotificationLevel.Critical, "A notification endpoint was disabled: it answered 410 Gone or kept failing.",
            ["endpointId", "channel", "target", "reason"],
            "Notification endpoint {{endpointId}} ({{channel}}) was disabled: {{reason}}",
            "The {{channel}} endpoint {{endpointId}} ({{target}}) was disabled: {{reason}}\n\nFix it, then create it again; replay what it missed with POST /api/v1/notifications/endpoints/{id}/replay."),
        new(Test, NotificationLevel.Info, "A test sent on request (POST /api/v1/notifications/endpoints/{id}/test).",
            ["endpointId"],
            "Workforce test notification for endpoint {{endpointId}}.",
            "This is a test notification for endpoint {{endpointId}}. If you can read it, the endpoint works."),
        new(ReportReady, NotificationLevel.Info, "A scheduled report is ready. Sent only to the endpoints its schedule delivers to; the link expires (expiresAt).",
            ["reportId", "reportType", "format", "from", "to", "scheduleId", "downloadUrl", "expiresAt"],
            "Your {{reportType}} report ({{format}}) is ready: {{downloadUrl}}",
            "The {{reportType}} report {{reportId}} for {{from}} to {{to}} is ready as {{format}}.\n\nDownload it before {{expiresAt}}: {{downloadUrl}}\n\nLater, GET /api/v1/reports/{{reportId}} gives a fresh link."),
        new(ReportFailed, NotificationLevel.Warning, "A scheduled report could not be made. Sent only to the endpoints its schedule delivers to.",
            ["reportId", "reportType", "format", "from", "to", "scheduleId", "error"],
            "Your {{reportType}} report ({{format}}) failed: {{error}}",
            "The {{reportType}} report {{reportId}} for {{from}} to {{to}} could not be made.\n\nError: {{error}}"),
        new(AnomalyDetected, NotificationLevel.Warning, "An hour of throughput, error rate or schedule-to-start latency was far from what its forecast model expected (robust z-score at or above the threshold).",
            ["series", "at", "value", "expected", "score"],
            "Anomaly in {{series}} at {{at}}: {{value}} where {{expected}} was expected (score {{score}}).",
            "The hour starting {{at}} of {{series}} was {{value}}; its model expected {{expected}}. Robust z-score: {{score}}.\n\nSee GET /api/v1/anomalies."),
        new(ScalingRecommended, NotificationLevel.Info, "The number of agents a capability needs in the coming hours changed, by a confident forecast.",
            ["capability", "agentsNow", "peakAgents", "peakAt", "targetUtilisation"],
            "Run {{agentsNow}} agent(s) for {{capability}} now, up to {{peakAgents}} at {{peakAt}}.",
            "By the forecast of the next hours, {{capability}} needs {{agentsNow}} agent(s) now and at most {{peakAgents}} (at {{peakAt}}) to stay at {{targetUtilisation}} utilisation.\n\nSee GET /api/v1/recommendations."),
    ];

    private static readonly Dictionary<string, EventDefinition> ByType = All.ToDictionary(d => d.Type, StringComparer.Ordinal);

    public static EventDefinition? Find(string type) => ByType.GetValueOrDefault(type);

    public static EventDefinition Definition(string type) => ByType[type];

    public static NotificationEvent OfTaskFailed(WorkTask task, DateTimeOffset at) => Raise(TaskFailed, task.TenantId, at, new()
    {
        ["taskId"] = task.Id.ToString(),
        ["taskType"] = task.Type,
        ["priority"] = task.Priority.ToString().ToLowerInvariant(),
        ["attempt"] = task.Attempt,
        ["error"] = task.Error,
    });

    public static NotificationEvent OfTaskCompleted(WorkTask task, Guid? agentId, DateTimeOffset at) => Raise(TaskCompleted, task.TenantId, at, new()
    {
        ["taskId"] = task.Id.ToString(),
        ["taskType"] = task.Type,
        ["priority"] = task.Priority.ToString().ToLowerInvariant(),
        ["attempt"] = task.Attempt,
        ["agentId"] = agentId?.ToString(),
    });

    /// <param name="changed">The fields the change set, by their API names.</param>
    public static NotificationEvent OfTaskUpdated(WorkTask task, IEnumerable<string> changed, DateTimeOffset at) => Raise(TaskUpdated, task.TenantId, at, new()
    {
        ["taskId"] = task.Id.ToString(),
        ["taskType"] = task.Type,
        ["priority"] = task.Priority.ToString().ToLowerInvariant(),
        ["revision"] = task.Revision,
        ["changed"] = string.Join(", ", changed),
    });

    /// <param name="state">The state the task was in when it was deleted, before any cancellation.</param>
    public static NotificationEvent OfTaskDeleted(WorkTask task, TaskState state, DateTimeOffset at) => Raise(TaskDeleted, task.TenantId, at, new()
    {
        ["taskId"] = task.Id.ToString(),
        ["taskType"] = task.Type,
        ["priority"] = task.Priority.ToString().ToLowerInvariant(),
        ["state"] = state.ToString().ToLowerInvariant(),
    });

    public static NotificationEvent OfAgentOffline(Agent agent, int releasedTasks, DateTimeOffset at) => Raise(AgentOffline, agent.TenantId, at, new()
    {
        ["agentId"] = agent.Id.ToString(),
        ["agentName"] = agent.Name,
        ["lastHeartbeatAt"] = agent.LastHeartbeatAt,
        ["releasedTasks"] = releasedTasks,
    });

    public static NotificationEvent OfAgentRemoved(Agent agent, int releasedTasks, DateTimeOffset at) => Raise(AgentRemoved, agent.TenantId, at, new()
    {
        ["agentId"] = agent.Id.ToString(),
        ["agentName"] = agent.Name,
        ["releasedTasks"] = releasedTasks,
    });

    public static NotificationEvent OfQueueBacklog(string tenantId, int pending, int threshold, DateTimeOffset at) => Raise(QueueBacklog, tenantId, at, new()
    {
        ["pending"] = pending,
        ["threshold"] = threshold,
    });

    public static NotificationEvent OfQuota(QuotaNotice notice) => Raise(notice.IsExceeded ? QuotaExceeded : QuotaWarning, notice.TenantId, notice.At, new()
    {
        ["meter"] = MeterNames.Of(notice.Meter),
        ["percent"] = notice.Percent,
        ["used"] = notice.Used,
        ["limit"] = notice.Limit,
        ["periodStart"] = notice.PeriodStart,
    });

    public static NotificationEvent OfInvoiceIssued(Invoice invoice) => Raise(InvoiceIssued, invoice.TenantId, invoice.IssuedAt, new()
    {
        ["invoiceId"] = invoice.Id,
        ["total"] = Money.FromMinorUnits(invoice.TotalMinor, invoice.Currency).Amount,
        ["currency"] = invoice.Currency,
        ["periodStart"] = invoice.Period.Start,
        ["periodEnd"] = invoice.Period.End,
        ["status"] = InvoiceNames.Of(invoice.Status),
    });

    public static NotificationEvent OfCharge(Invoice invoice, ChargeAttempt attempt) => Raise(attempt.Succeeded ? PaymentSucceeded : PaymentFailed, invoice.TenantId, attempt.At, new()
    {
        ["invoiceId"] = invoice.Id,
        ["total"] = Money.FromMinorUnits(invoice.TotalMinor, invoice.Currency).Amount,
        ["currency"] = invoice.Currency,
        ["attempt"] = attempt.Number,
        [attempt.Succeeded ? "paymentId" : "reason"] = attempt.Succeeded ? attempt.PaymentId : attempt.Failure,
    });

    public static NotificationEvent OfSuspension(string tenantId, string invoiceId, string planId, DateTimeOffset at) => Raise(SubscriptionSuspended, tenantId, at, new()
    {
        ["invoiceId"] = invoiceId,
        ["plan"] = planId,
    });

    public static NotificationEvent OfEndpointDisabled(NotificationEndpoint endpoint, string reason, DateTimeOffset at) => Raise(EndpointDisabled, endpoint.TenantId, at, new()
    {
        ["endpointId"] = endpoint.Id,
        ["channel"] = endpoint.Channel.ToString().ToLowerInvariant(),
        ["target"] = endpoint.Target,
        ["reason"] = reason,
    });

    public static NotificationEvent OfTest(NotificationEndpoint endpoint, DateTimeOffset at) => Raise(Test, endpoint.TenantId, at, new()
    {
        ["endpointId"] = endpoint.Id,
    });

    /// <summary>The event's id comes from the report's, so the announcement of one report fans out once however often it is raised.</summary>
    public static NotificationEvent OfReportReady(Report report, Uri downloadUrl, DateTimeOffset expiresAt, DateTimeOffset at) =>
        ReportEvent(ReportReady, report, at, new()
        {
            ["downloadUrl"] = downloadUrl.ToString(),
            ["expiresAt"] = expiresAt,
        });

    public static NotificationEvent OfReportFailed(Report report, DateTimeOffset at) => ReportEvent(ReportFailed, report, at, new() { ["error"] = report.Error });

    /// <summary>The id comes from the series and hour, so an anomaly seen by two runs is announced once.</summary>
    public static NotificationEvent OfAnomaly(Forecasting.RecordedAnomaly anomaly) => new(
        $"evt_anomaly_{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{anomaly.Series}|{anomaly.At:O}")))[..32].ToLowerInvariant()}",
        AnomalyDetected, Definition(AnomalyDetected).Level, anomaly.TenantId, anomaly.DetectedAt, new Dictionary<string, object?>
        {
            ["series"] = anomaly.Series,
            ["at"] = anomaly.At,
            ["value"] = Math.Round(anomaly.Value, 2),
            ["expected"] = Math.Round(anomaly.Expected, 2),
            ["score"] = Math.Round(anomaly.Score, 1),
        });

    public static NotificationEvent OfScalingRecommended(Forecasting.ScalingRecommendation recommendation)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        var peak = recommendation.Hours.MaxBy(hour => hour.Agents)!;
        return Raise(ScalingRecommended, recommendation.TenantId, recommendation.MadeAt, new()
        {
            ["capability"] = recommendation.Capability,
            ["agentsNow"] = recommendation.Hours[0].Agents,
            ["peakAgents"] = peak.Agents,
            ["peakAt"] = peak.At,
            ["targetUtilisation"] = recommendation.TargetUtilisation,
        });
    }

    private static NotificationEvent ReportEvent(string type, Report report, DateTimeOffset at, Dictionary<string, object?> data)
    {
        data["reportId"] = report.Id;
        data["reportType"] = ReportTypes.Name(report.Type);
        data["format"] = ReportTypes.Name(report.Format);
        data["from"] = report.From;
        data["to"] = report.To;
        data["scheduleId"] = report.ScheduleId;
        return new($"evt_{report.Id[(report.Id.IndexOf('_', StringComparison.Ordinal) + 1)..]}", type, Definition(type).Level, report.TenantId, at, data);
    }

    private static NotificationEvent Raise(string type, string tenantId, DateTimeOffset at, Dictionary<string, object?> data) =>
        new(NotificationEvent.NewId(), type, Definition(type).Level, tenantId, at, data);
}
