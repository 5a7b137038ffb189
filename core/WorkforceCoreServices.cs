using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Workforce.Core.Agents;
using Workforce.Core.Plans;
using Workforce.Core.Scheduling;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;
using Workforce.Core.Usage;

namespace Workforce.Core;

public static class WorkforceCoreServices
{
    /// <summary>
    /// The use cases. Hosts add the storage adapters (<see cref="Storage.IWorkforceStore"/>,
    /// <see cref="ITenantDirectory"/>, <see cref="Queues.IWorkQueues"/>) and the values of <see cref="TaskOptions"/>,
    /// <see cref="LeaseOptions"/>, <see cref="AgentOptions"/>, <see cref="BillingOptions"/> and
    /// <see cref="Notifications.NotificationOptions"/> and <see cref="Analytics.AnalyticsOptions"/>, the
    /// analytics store (<see cref="Analytics.IAnalyticsStore"/>) and the server's <see cref="Analytics.ISystemMetrics"/>, the notification channels, and the workflows (which bring the
    /// notification use cases that start delivery runs).
    /// </summary>
    public static IServiceCollection AddWorkforceCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TaskAvailability>();
        services.AddSingleton<ITaskObserver>(sp => sp.GetRequiredService<TaskAvailability>());
        services.AddSingleton(sp => new TaskChangeFeed(sp.GetServices<ITaskObserver>, sp.GetRequiredService<ILogger<TaskChangeFeed>>()));
        services.AddSingleton<AgentChangeFeed>();
        services.AddSingleton<Analytics.AnalyticsRecorder>();
        services.AddSingleton<ITaskObserver>(sp => sp.GetRequiredService<Analytics.AnalyticsRecorder>());
        services.AddSingleton<Analytics.FlushAnalytics>();
        services.AddSingleton<Metrics.PlatformLevels>();
        services.AddSingleton<Metrics.SamplePlatformLevels>();
        services.AddSingleton<Metrics.WorkforceMeter>();
        services.AddSingleton<ITaskObserver>(sp => sp.GetRequiredService<Metrics.WorkforceMeter>());
        services.AddSingleton<Analytics.SampleTenantGauges>();
        services.AddSingleton<Analytics.QueryAnalytics>();
        services.AddSingleton<Analytics.QueryAnalyticsSummary>();
        services.AddSingleton<Analytics.QueryVisualizations>();
        services.AddSingleton<Analytics.QueryAgentMetrics>();
        services.AddSingleton<Analytics.QueryPerformance>();
        services.AddSingleton<Forecasting.ReadSeriesHistory>();
        services.AddSingleton<Forecasting.TrainSeries>();
        services.AddSingleton<Forecasting.RecommendScaling>();
        services.AddSingleton<Forecasting.RetrainTenant>();
        services.AddSingleton<Forecasting.RetrainNextTenants>();
        services.AddSingleton<Forecasting.RollBackModel>();
        services.AddSingleton<Forecasting.QueryForecasts>();
        services.AddSingleton<Forecasting.QueryForecastModels>();
        services.AddSingleton<Forecasting.QueryAnomalies>();
        services.AddSingleton<PlanCatalogue>();
        services.AddSingleton<UsageMetering>();
        services.AddSingleton<QueryUsage>();
        services.AddSingleton<QueryUsageHistory>();
        services.AddSingleton<MeterApiCalls>();
        services.AddSingleton<Subscriptions.ChangeSubscription>();
        services.AddSingleton<Subscriptions.SetSubscriptionTerms>();
        services.AddSingleton<Subscriptions.CloseBillingPeriods>();
        services.TryAddSingleton<Billing.IPaymentGateway, Billing.OfflinePaymentGateway>();
        services.AddSingleton<Billing.ChargeInvoice>();
        services.AddSingleton<Billing.SuspendForNonPayment>();
        services.AddSingleton<Billing.EndPaymentAccount>();
        services.AddSingleton<Billing.QueryInvoices>();
        services.AddSingleton<Billing.RefundInvoice>();
        services.TryAddSingleton<Billing.IPaymentEvents, Billing.OfflinePaymentEvents>();
        services.AddSingleton<Billing.StartCheckout>();
        services.AddSingleton<Billing.CancelSubscription>();
        services.AddSingleton<Billing.ReconcilePaymentEvent>();
        services.AddSingleton<SubmitTask>();
        services.AddSingleton<MoveTask>();
        services.AddSingleton<RetryTask>();
        services.AddSingleton<UpdateTask>();
        services.AddSingleton<DeleteTask>();
        services.AddSingleton<QueryTasks>();
        services.AddSingleton<LeaseTask>();
        services.AddSingleton<LeaseTasks>();
        services.AddSingleton<FinishTaskAndLease>();
        services.AddSingleton<SubmitTasks>();
        services.AddSingleton<RegisterAgent>();
        services.AddSingleton<RecordHeartbeat>();
        services.AddSingleton<AgentTasks>();
        services.AddSingleton<RemoveAgent>();
        services.AddSingleton<DrainAgent>();
        services.AddSingleton<QueryAgents>();
        services.AddSingleton<EnforceTaskTimeouts>();
        services.AddSingleton<Queues.QueryQueueCounts>();
        services.AddSingleton<TakeSilentAgentsOffline>();
        services.AddSingleton<Notifications.NotificationInterest>();
        services.AddSingleton<Notifications.DeliverySchedule>(sp => new(sp.GetRequiredService<Notifications.NotificationOptions>()));
        services.AddSingleton<Notifications.AttemptDelivery>();
        services.AddSingleton<Notifications.CreateNotificationEndpoint>();
        services.AddSingleton<Notifications.QueryNotificationEndpoints>();
        services.AddSingleton<Notifications.RemoveNotificationEndpoint>();
        services.AddSingleton<Notifications.RotateEndpointSecret>();
        services.AddSingleton<Notifications.QueryDeliveries>();
        services.AddSingleton<Notifications.SetNotificationTemplate>();
        services.AddSingleton<Notifications.QueryNotificationTemplates>();
        // Reports: the hosts add IReportStore, IBlobStore, the renderers and ReportOptions; the workflows add
        // IReportRunner and the use cases that start runs.
        services.AddSingleton<Reports.BuildReportDocument>();
        services.AddSingleton<Reports.GenerateReport>();
        services.AddSingleton<Reports.QueryReports>();
        services.AddSingleton<Reports.AnnounceReport>();
        services.AddSingleton<Reports.PurgeReports>();
        services.AddSingleton<Reports.CreateReportSchedule>();
        services.AddSingleton<Reports.QueryReportSchedules>();
        services.AddSingleton<Reports.RemoveReportSchedule>();
        services.AddSingleton<CreateTenant>();
        services.AddSingleton<EnsureDefaultTenant>();
        return services;
    }
}
