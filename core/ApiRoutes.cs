namespace Workforce.Core;

/// <summary>
/// The v1 HTTP routes, relative to the <c>/api</c> prefix. Both hosts map exactly these: the standalone server
/// under a route group, the Azure Functions app through its default <c>api</c> route prefix.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "api";

    public const string Health = "health";
    public const string OpenApiDocument = "openapi/{documentName}.json";

    public const string Tenants = "v1/tenants";

    public const string Agents = "v1/agents";
    public const string Agent = "v1/agents/{id:guid}";
    public const string AgentHeartbeat = "v1/agents/{id:guid}/heartbeat";
    public const string AgentMetrics = "v1/agents/{id:guid}/metrics";
    public const string AgentLease = "v1/agents/{id:guid}/lease";
    public const string AgentDrain = "v1/agents/{id:guid}/drain";
    public const string AgentResume = "v1/agents/{id:guid}/resume";
    public const string AgentTasks = "v1/agents/{id:guid}/tasks";

    public const string Tasks = "v1/tasks";
    public const string TaskBatch = "v1/tasks/batch";
    /// <summary>GET a task; PATCH (merge patch) or DELETE it with the tenant key.</summary>
    public const string Task = "v1/tasks/{id:guid}";
    public const string TaskStart = "v1/tasks/{id:guid}/start";
    public const string TaskComplete = "v1/tasks/{id:guid}/complete";
    public const string TaskFail = "v1/tasks/{id:guid}/fail";
    public const string TaskCancel = "v1/tasks/{id:guid}/cancel";
    public const string TaskRetry = "v1/tasks/{id:guid}/retry";

    public const string Usage = "v1/usage";
    public const string UsageHistory = "v1/usage/history";
    public const string Subscription = "v1/subscription";
    public const string TenantSubscription = "v1/tenants/{id}/subscription";
    public const string SubscriptionCheckout = "v1/subscription/checkout";
    public const string SubscriptionCancel = "v1/subscription/cancel";

    /// <summary>Where PayPal delivers its webhook events; anonymous, each delivery verified with PayPal.</summary>
    public const string PayPalWebhook = "v1/billing/paypal/webhook";

    public const string Invoices = "v1/invoices";
    public const string Invoice = "v1/invoices/{id}";
    public const string InvoicePay = "v1/invoices/{id}/pay";
    public const string InvoiceRefund = "v1/invoices/{id}/refund";
    public const string InvoicePdf = "v1/invoices/{id}/pdf";

    public const string Reports = "v1/reports";
    public const string Report = "v1/reports/{id}";
    public const string ReportSchedules = "v1/reports/schedules";
    public const string ReportSchedule = "v1/reports/schedules/{id}";

    public const string NotificationEvents = "v1/notifications/events";
    public const string NotificationEndpoints = "v1/notifications/endpoints";
    public const string NotificationEndpoint = "v1/notifications/endpoints/{id}";
    public const string NotificationEndpointTest = "v1/notifications/endpoints/{id}/test";
    public const string NotificationEndpointRotateSecret = "v1/notifications/endpoints/{id}/rotate-secret";
    public const string NotificationEndpointReplay = "v1/notifications/endpoints/{id}/replay";
    public const string NotificationDeliveries = "v1/notifications/deliveries";
    public const string NotificationDelivery = "v1/notifications/deliveries/{id}";
    public const string NotificationDeliveryRetry = "v1/notifications/deliveries/{id}/retry";
    public const string NotificationTemplates = "v1/notifications/templates";
    public const string NotificationTemplate = "v1/notifications/templates/{event}/{channel}";

    public const string AnalyticsSeries = "v1/analytics/{metric}";
    public const string AnalyticsSummary = "v1/analytics/summary";
    public const string Performance = "v1/performance";
    public const string Visualizations = "v1/visualizations";

    public const string Forecasts = "v1/forecasts";
    public const string Anomalies = "v1/anomalies";
    public const string Recommendations = "v1/recommendations";
    public const string Models = "v1/models";
    public const string ModelsRetrain = "v1/models/retrain";
    public const string ModelRollback = "v1/models/{series}/rollback";

    public const string Orchestrations = "v1/orchestrations";
    public const string Orchestration = "v1/orchestrations/{instanceId}";
    public const string Queues = "v1/queues";

    /// <summary>An agent's inbox: send it a message (POST), or receive a batch as the agent (GET, long-polls with waitSeconds).</summary>
    public const string AgentMessages = "v1/agents/{id:guid}/messages";
    public const string AgentMessageAck = "v1/agents/{id:guid}/messages/{messageId:guid}/ack";

    /// <summary>Broadcasts: one message to each of the tenant's agents that match a role and capability.</summary>
    public const string Messages = "v1/messages";

    /// <summary>The tenant's audit log of state-changing requests.</summary>
    public const string Audit = "v1/audit";
    /// <summary>Where the standalone server serves the signed download links of its local blob store.</summary>
    public const string FileDownload = "files/{**path}";

    public const string FileDownloadPrefix = "files/";

    /// <summary>Exchanges a tenant key for a short-lived access token that a browser can pass to the hub.</summary>
    public const string RealtimeToken = "v1/realtime/token";

    /// <summary>The live-updates hub (SignalR): taskUpdated, agentUpdated, queueStats and notification events.</summary>
    public const string RealtimeHub = "hubs/workforce";

    public static string TaskLocation(Guid id) => $"/{Prefix}/v1/tasks/{id}";

    public static string ReportLocation(string id) => $"/{Prefix}/v1/reports/{id}";

    public static string ReportScheduleLocation(string id) => $"/{Prefix}/v1/reports/schedules/{id}";

    public static string AgentLocation(Guid id) => $"/{Prefix}/v1/agents/{id}";
}
