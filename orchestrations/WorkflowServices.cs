using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Orchestrations.AgentLiveness;
using Workforce.Orchestrations.BillingCycle;
using Workforce.Orchestrations.Analytics;
using Workforce.Orchestrations.Cleanup;
using Workforce.Orchestrations.Forecasting;
using Workforce.Orchestrations.Notifications;
using Workforce.Orchestrations.PaymentEvents;
using Workforce.Orchestrations.Reports;
using Workforce.Orchestrations.Scheduling;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Orchestrations;

public static class WorkflowServices
{
    /// <summary>
    /// What the workflows' starters and handlers need. The host provides a <see cref="Microsoft.DurableTask.Client.DurableTaskClient"/>
    /// and an engine that runs the orchestrators and activities of <see cref="AddWorkforceWorkflows(DurableTaskRegistry)"/>,
    /// plus the values of <see cref="LifecycleOptions"/> and <see cref="Core.Retention.RetentionOptions"/>.
    /// </summary>
    /// <param name="clientLifetime">
    /// The lifetime of what uses the client: singleton where one client serves the whole process (the embedded
    /// engine), scoped where each invocation brings its own (Durable Functions' [DurableClient]).
    /// </param>
    public static IServiceCollection AddWorkforceWorkflows(this IServiceCollection services, ServiceLifetime clientLifetime = ServiceLifetime.Singleton)
    {
        services.Add(new ServiceDescriptor(typeof(StartTaskLifecycle), typeof(StartTaskLifecycle), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(Operations.QueryOrchestrations), typeof(Operations.QueryOrchestrations), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(IScheduledJobRunner), typeof(StartScheduledJob), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(LifecycleEventRelay), typeof(LifecycleEventRelay), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(StartBillingCycle), typeof(StartBillingCycle), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(StartPaymentEventProcessing), typeof(StartPaymentEventProcessing), clientLifetime));
        // The notification use cases that start delivery runs live as long as the client they start them with.
        services.Add(new ServiceDescriptor(typeof(Core.Notifications.IDeliveryRunner), typeof(StartDeliveryRun), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(Core.Notifications.FanOutNotification), typeof(Core.Notifications.FanOutNotification), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(Core.Notifications.SendTestNotification), typeof(Core.Notifications.SendTestNotification), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(Core.Notifications.RetryDelivery), typeof(Core.Notifications.RetryDelivery), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(Core.Notifications.ReplayEndpoint), typeof(Core.Notifications.ReplayEndpoint), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(FanOutNotificationMessage), typeof(FanOutNotificationMessage), clientLifetime));
        // Likewise the report use cases that start report runs.
        services.Add(new ServiceDescriptor(typeof(Core.Reports.IReportRunner), typeof(StartReportRun), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(Core.Reports.RequestReport), typeof(Core.Reports.RequestReport), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(Core.Reports.RunDueReportSchedules), typeof(Core.Reports.RunDueReportSchedules), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(Core.Forecasting.IForecastRetrainer), typeof(StartForecastRetraining), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(Core.Forecasting.RequestRetraining), typeof(Core.Forecasting.RequestRetraining), clientLifetime));
        return services;
    }

    /// <summary>
    /// The orchestrators and activities under their names, for every engine: the embedded one, Durable Task's test
    /// host, and (through functions of the same names) Durable Functions. Orchestrators are created without
    /// services, as they must be pure; activities from the engine's services.
    /// </summary>
    public static DurableTaskRegistry AddWorkforceWorkflows(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<TaskLifecycleOrchestrator>(WorkflowNames.TaskLifecycle)
            .AddOrchestrator<AgentLivenessOrchestrator>(WorkflowNames.AgentLiveness)
            .AddOrchestrator<CleanupOrchestrator>(WorkflowNames.Cleanup)
            .AddOrchestrator<AnalyticsSamplingOrchestrator>(WorkflowNames.AnalyticsSampling)
            .AddActivity<SampleTenantGaugesActivity>(WorkflowNames.SampleTenantGauges)
            .AddOrchestrator<ForecastRetrainingOrchestrator>(WorkflowNames.ForecastRetraining)
            .AddOrchestrator<RetrainTenantOrchestrator>(WorkflowNames.RetrainTenant)
            .AddActivity<RetrainForecastsActivity>(WorkflowNames.RetrainForecasts)
            .AddActivity<RetrainTenantForecastsActivity>(WorkflowNames.RetrainTenantForecasts)
            .AddActivity<PurgeAnomaliesActivity>(WorkflowNames.PurgeAnomalies)
            .AddActivity<PurgeAuditActivity>(WorkflowNames.PurgeAudit)
            .AddActivity<PurgeMessagesActivity>(WorkflowNames.PurgeMessages)
            .AddOrchestrator<BillingCycleOrchestrator>(WorkflowNames.BillingCycle)
            .AddOrchestrator<PaymentEventOrchestrator>(WorkflowNames.PaymentEvent)
            .AddOrchestrator<DeliverNotificationOrchestrator>(WorkflowNames.DeliverNotification)
            .AddOrchestrator<GenerateReportOrchestrator>(WorkflowNames.GenerateReport)
            .AddOrchestrator<ReportSchedulesOrchestrator>(WorkflowNames.ReportSchedules)
            .AddActivity<EnforceTaskTimeoutsActivity>(WorkflowNames.EnforceTaskTimeouts)
            .AddActivity<TakeSilentAgentsOfflineActivity>(WorkflowNames.TakeSilentAgentsOffline)
            .AddActivity<PurgeFinishedTasksActivity>(WorkflowNames.PurgeFinishedTasks)
            .AddActivity<PurgeFinishedOrchestrationsActivity>(WorkflowNames.PurgeFinishedOrchestrations)
            .AddActivity<PurgeExpiredSubmissionsActivity>(WorkflowNames.PurgeExpiredSubmissions)
            .AddActivity<PurgeDeadLettersActivity>(WorkflowNames.PurgeDeadLetters)
            .AddActivity<PurgeUsageEventsActivity>(WorkflowNames.PurgeUsageEvents)
            .AddActivity<PurgeDeliveriesActivity>(WorkflowNames.PurgeDeliveries)
            .AddActivity<PurgeMinuteRollupsActivity>(WorkflowNames.PurgeMinuteRollups)
            .AddActivity<PurgeHourRollupsActivity>(WorkflowNames.PurgeHourRollups)
            .AddActivity<PurgeAgentSamplesActivity>(WorkflowNames.PurgeAgentSamples)
            .AddActivity<CloseBillingPeriodsActivity>(WorkflowNames.CloseBillingPeriods)
            .AddActivity<ChargeInvoiceActivity>(WorkflowNames.ChargeInvoice)
            .AddActivity<SuspendForNonPaymentActivity>(WorkflowNames.SuspendForNonPayment)
            .AddActivity<EndPaymentAccountActivity>(WorkflowNames.EndPaymentAccount)
            .AddActivity<ReconcilePaymentEventActivity>(WorkflowNames.ReconcilePaymentEvent)
            .AddActivity<AttemptDeliveryActivity>(WorkflowNames.AttemptDelivery)
            .AddActivity<GenerateReportActivity>(WorkflowNames.GenerateReportFile)
            .AddActivity<FailReportActivity>(WorkflowNames.FailReport)
            .AddActivity<AnnounceReportActivity>(WorkflowNames.AnnounceReport)
            .AddActivity<RunDueReportSchedulesActivity>(WorkflowNames.RunDueReportSchedules)
            .AddActivity<PurgeReportsActivity>(WorkflowNames.PurgeReports);
    }
}
