using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Workforce.Orchestrations;
using Workforce.Orchestrations.AgentLiveness;
using Workforce.Orchestrations.Analytics;
using Workforce.Orchestrations.BillingCycle;
using Workforce.Orchestrations.Cleanup;
using Workforce.Orchestrations.Notifications;
using Workforce.Orchestrations.PaymentEvents;
using Workforce.Orchestrations.Forecasting;
using Workforce.Orchestrations.Reports;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Functions.Workflows;

/// <summary>
/// The orchestrators of orchestrations/, run by Durable Functions: each function hands its TaskOrchestrationContext
/// to the orchestrator class the standalone server's engine runs. Orchestrator code is replayed, so nothing here may
/// do I/O or read the clock; orchestrators take no services.
/// </summary>
public static class OrchestratorFunctions
{
    [Function(WorkflowNames.TaskLifecycle)]
    public static Task<TaskLifecycleOutcome?> TaskLifecycle([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new TaskLifecycleOrchestrator().RunAsync(context, Input<TaskLifecycleInput>(context));

    [Function(WorkflowNames.AnalyticsSampling)]
    public static Task<int> AnalyticsSampling([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new AnalyticsSamplingOrchestrator().RunAsync(context, Input<BatchInput>(context));

    [Function(WorkflowNames.AgentLiveness)]
    public static Task<int> AgentLiveness([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new AgentLivenessOrchestrator().RunAsync(context, Input<BatchInput>(context));

    [Function(WorkflowNames.Cleanup)]
    public static Task<CleanupReport> Cleanup([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new CleanupOrchestrator().RunAsync(context, Input<BatchInput>(context));

    [Function(WorkflowNames.BillingCycle)]
    public static Task<object?> BillingCycle([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new BillingCycleOrchestrator().RunAsync(context, Input<string>(context));

    [Function(WorkflowNames.PaymentEvent)]
    public static Task<string> PaymentEvent([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new PaymentEventOrchestrator().RunAsync(context, Input<Core.Billing.PaymentEvent>(context));

    [Function(WorkflowNames.DeliverNotification)]
    public static Task<Core.Notifications.DeliveryStatus> DeliverNotification([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new DeliverNotificationOrchestrator().RunAsync(context, Input<DeliveryRun>(context));

    [Function(WorkflowNames.GenerateReport)]
    public static Task<Core.Reports.ReportStatus> GenerateReport([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new GenerateReportOrchestrator().RunAsync(context, Input<ReportRun>(context));

    [Function(WorkflowNames.ForecastRetraining)]
    public static Task<int> ForecastRetraining([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ForecastRetrainingOrchestrator().RunAsync(context, Input<BatchInput>(context));

    [Function(WorkflowNames.RetrainTenant)]
    public static Task<int> RetrainTenant([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new RetrainTenantOrchestrator().RunAsync(context, Input<string>(context)!);

    [Function(WorkflowNames.ReportSchedules)]
    public static Task<int> ReportSchedules([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ReportSchedulesOrchestrator().RunAsync(context, Input<BatchInput>(context));

    private static T Input<T>(TaskOrchestrationContext context) =>
        context.GetInput<T>() ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} was started without its {typeof(T).Name}.");
}
