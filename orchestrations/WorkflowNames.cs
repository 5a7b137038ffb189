namespace Workforce.Orchestrations;

/// <summary>
/// The names under which orchestrators and activities are registered. Both hosts use these constants: the embedded
/// engine's registry and the Azure Functions' [Function] attributes.
/// </summary>
public static class WorkflowNames
{
    public const string TaskLifecycle = "TaskLifecycle";
    public const string AgentLiveness = "AgentLiveness";
    public const string Cleanup = "Cleanup";
    public const string AnalyticsSampling = "AnalyticsSampling";
    public const string ForecastRetraining = "ForecastRetraining";
    public const string RetrainForecasts = "RetrainForecasts";
    public const string RetrainTenant = "RetrainTenant";
    public const string RetrainTenantForecasts = "RetrainTenantForecasts";
    public const string PurgeAnomalies = "PurgeAnomalies";
    public const string PurgeAudit = "PurgeAudit";
    public const string PurgeMessages = "PurgeMessages";
    public const string SampleTenantGauges = "SampleTenantGauges";
    public const string BillingCycle = "BillingCycle";
    public const string PaymentEvent = "PaymentEvent";
    public const string DeliverNotification = "DeliverNotification";
    public const string GenerateReport = "GenerateReport";
    public const string ReportSchedules = "ReportSchedules";

    public const string EnforceTaskTimeouts = "EnforceTaskTimeouts";
    public const string TakeSilentAgentsOffline = "TakeSilentAgentsOffline";
    public const string PurgeFinishedTasks = "PurgeFinishedTasks";
    public const string PurgeFinishedOrchestrations = "PurgeFinishedOrchestrations";
    public const string PurgeExpiredSubmissions = "PurgeExpiredSubmissions";
    public const string PurgeDeadLetters = "PurgeDeadLetters";
    public const string PurgeUsageEvents = "PurgeUsageEvents";
    public const string PurgeDeliveries = "PurgeDeliveries";
    public const string PurgeMinuteRollups = "PurgeMinuteRollups";
    public const string PurgeHourRollups = "PurgeHourRollups";
    public const string PurgeAgentSamples = "PurgeAgentSamples";
    public const string CloseBillingPeriods = "CloseBillingPeriods";
    public const string ChargeInvoice = "ChargeInvoice";
    public const string SuspendForNonPayment = "SuspendForNonPayment";
    public const string EndPaymentAccount = "EndPaymentAccount";
    public const string ReconcilePaymentEvent = "ReconcilePaymentEvent";
    public const string AttemptDelivery = "AttemptDelivery";
    public const string GenerateReportFile = "GenerateReportFile";
    public const string FailReport = "FailReport";
    public const string AnnounceReport = "AnnounceReport";
    public const string RunDueReportSchedules = "RunDueReportSchedules";
    public const string PurgeReports = "PurgeReports";

    /// <summary>The standalone server's database backup; registered with its embedded engine only.</summary>
    public const string Backup = "Backup";
    public const string TakeBackup = "TakeBackup";
}
