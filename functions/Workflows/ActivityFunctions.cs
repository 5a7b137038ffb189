using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Core.Billing;
using Workforce.Core.Notifications;
using Workforce.Core.Tasks;
using Workforce.Functions.Changes;
using Workforce.Orchestrations;
using Workforce.Orchestrations.AgentLiveness;
using Workforce.Orchestrations.Analytics;
using Workforce.Orchestrations.BillingCycle;
using Workforce.Orchestrations.Cleanup;
using Workforce.Core.Forecasting;
using Workforce.Orchestrations.Forecasting;
using Workforce.Orchestrations.Notifications;
using Workforce.Orchestrations.PaymentEvents;
using Workforce.Orchestrations.Reports;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Functions.Workflows;

/// <summary>
/// The activities of orchestrations/, run by Durable Functions: each function runs the activity class of its name,
/// created from the invocation's services as Durable Task's worker creates it. Taking silent agents offline gives
/// their tasks back to the queue, so that one tells the tasks' lifecycle workflows, as a request that changes tasks
/// does; it and the orchestration purge bind a Durable client (<see cref="DurableClientBinding"/>).
/// </summary>
public sealed class ActivityFunctions(IServiceProvider services)
{
    [Function(WorkflowNames.EnforceTaskTimeouts)]
    public Task<TaskSnapshot?> EnforceTaskTimeouts([ActivityTrigger] TaskRef input, FunctionContext context) =>
        RunAsync<EnforceTaskTimeoutsActivity, TaskRef, TaskSnapshot?>(input, context);

    [Function(WorkflowNames.TakeSilentAgentsOffline)]
    public async Task<int> TakeSilentAgentsOffline([ActivityTrigger] int input, [DurableClient] DurableTaskClient durable, FunctionContext context)
    {
        var changes = InvocationChanges.Record();
        var offline = await RunAsync<TakeSilentAgentsOfflineActivity, int, int>(input, context);
        await services.GetRequiredService<LifecycleEventRelay>().RaiseAsync(changes.Transitions, CancellationToken.None);
        return offline;
    }

    [Function(WorkflowNames.PurgeFinishedTasks)]
    public Task<int> PurgeFinishedTasks([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<PurgeFinishedTasksActivity, int, int>(input, context);

    [Function(WorkflowNames.PurgeFinishedOrchestrations)]
    public Task<int> PurgeFinishedOrchestrations([ActivityTrigger] int input, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        RunAsync<PurgeFinishedOrchestrationsActivity, int, int>(input, context);

    [Function(WorkflowNames.PurgeExpiredSubmissions)]
    public Task<int> PurgeExpiredSubmissions([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<PurgeExpiredSubmissionsActivity, int, int>(input, context);

    [Function(WorkflowNames.PurgeDeadLetters)]
    public Task<int> PurgeDeadLetters([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<PurgeDeadLettersActivity, int, int>(input, context);

    [Function(WorkflowNames.PurgeUsageEvents)]
    public Task<int> PurgeUsageEvents([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<PurgeUsageEventsActivity, int, int>(input, context);

    [Function(WorkflowNames.PurgeDeliveries)]
    public Task<int> PurgeDeliveries([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<PurgeDeliveriesActivity, int, int>(input, context);

    [Function(WorkflowNames.SampleTenantGauges)]
    public Task<SampledPage> SampleTenantGauges([ActivityTrigger] TenantPage input, FunctionContext context) =>
        RunAsync<SampleTenantGaugesActivity, TenantPage, SampledPage>(input, context);

    [Function(WorkflowNames.PurgeMinuteRollups)]
    public Task<int> PurgeMinuteRollups([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<PurgeMinuteRollupsActivity, int, int>(input, context);

    [Function(WorkflowNames.PurgeHourRollups)]
    public Task<int> PurgeHourRollups([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<PurgeHourRollupsActivity, int, int>(input, context);

    [Function(WorkflowNames.PurgeAgentSamples)]
    public Task<int> PurgeAgentSamples([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<PurgeAgentSamplesActivity, int, int>(input, context);

    [Function(WorkflowNames.CloseBillingPeriods)]
    public Task<ClosedPeriodsResult> CloseBillingPeriods([ActivityTrigger] string input, FunctionContext context) =>
        RunAsync<CloseBillingPeriodsActivity, string, ClosedPeriodsResult>(input, context);

    [Function(WorkflowNames.ChargeInvoice)]
    public Task<ChargedInvoice> ChargeInvoice([ActivityTrigger] ChargeInput input, FunctionContext context) =>
        RunAsync<ChargeInvoiceActivity, ChargeInput, ChargedInvoice>(input, context);

    [Function(WorkflowNames.SuspendForNonPayment)]
    public Task<bool> SuspendForNonPayment([ActivityTrigger] InvoiceRef input, FunctionContext context) =>
        RunAsync<SuspendForNonPaymentActivity, InvoiceRef, bool>(input, context);

    [Function(WorkflowNames.EndPaymentAccount)]
    public Task<bool> EndPaymentAccount([ActivityTrigger] EndedAccount input, FunctionContext context) =>
        RunAsync<EndPaymentAccountActivity, EndedAccount, bool>(input, context);

    [Function(WorkflowNames.ReconcilePaymentEvent)]
    public Task<string> ReconcilePaymentEvent([ActivityTrigger] PaymentEvent input, FunctionContext context) =>
        RunAsync<ReconcilePaymentEventActivity, PaymentEvent, string>(input, context);

    [Function(WorkflowNames.AttemptDelivery)]
    public Task<DeliveryStep> AttemptDelivery([ActivityTrigger] DeliveryAttemptInput input, FunctionContext context) =>
        RunAsync<AttemptDeliveryActivity, DeliveryAttemptInput, DeliveryStep>(input, context);

    [Function(WorkflowNames.GenerateReportFile)]
    public Task<Core.Reports.ReportStatus> GenerateReportFile([ActivityTrigger] ReportRun input, FunctionContext context) =>
        RunAsync<GenerateReportActivity, ReportRun, Core.Reports.ReportStatus>(input, context);

    [Function(WorkflowNames.FailReport)]
    public Task<Core.Reports.ReportStatus> FailReport([ActivityTrigger] FailedReportRun input, FunctionContext context) =>
        RunAsync<FailReportActivity, FailedReportRun, Core.Reports.ReportStatus>(input, context);

    [Function(WorkflowNames.AnnounceReport)]
    public Task<bool> AnnounceReport([ActivityTrigger] ReportRun input, FunctionContext context) =>
        RunAsync<AnnounceReportActivity, ReportRun, bool>(input, context);

    /// <summary>Starts each due schedule's report run, so it binds a Durable client.</summary>
    [Function(WorkflowNames.RunDueReportSchedules)]
    public Task<int> RunDueReportSchedules([ActivityTrigger] int input, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        RunAsync<RunDueReportSchedulesActivity, int, int>(input, context);

    [Function(WorkflowNames.RetrainForecasts)]
    public Task<RetrainedTenants> RetrainForecasts([ActivityTrigger] RetrainPage input, FunctionContext context) =>
        RunAsync<RetrainForecastsActivity, RetrainPage, RetrainedTenants>(input, context);

    [Function(WorkflowNames.RetrainTenantForecasts)]
    public Task<int> RetrainTenantForecasts([ActivityTrigger] string input, FunctionContext context) =>
        RunAsync<RetrainTenantForecastsActivity, string, int>(input, context);

    [Function(WorkflowNames.PurgeAnomalies)]
    public Task<int> PurgeAnomalies([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<PurgeAnomaliesActivity, int, int>(input, context);

    [Function(WorkflowNames.PurgeAudit)]
    public Task<int> PurgeAudit([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<PurgeAuditActivity, int, int>(input, context);

    [Function(WorkflowNames.PurgeMessages)]
    public Task<int> PurgeMessages([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<PurgeMessagesActivity, int, int>(input, context);

    [Function(WorkflowNames.PurgeReports)]
    public Task<int> PurgeReports([ActivityTrigger] int input, FunctionContext context) =>
        RunAsync<PurgeReportsActivity, int, int>(input, context);

    private Task<TOutput> RunAsync<TActivity, TInput, TOutput>(TInput input, FunctionContext context)
        where TActivity : TaskActivity<TInput, TOutput> =>
        ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(services).RunAsync(new ActivityInvocation(context), input);

    /// <summary>The activity's name and the calling orchestration's id, which the Durable extension passes in the binding data.</summary>
    private sealed class ActivityInvocation(FunctionContext context) : TaskActivityContext
    {
        public override TaskName Name => new(context.FunctionDefinition.Name);

        public override string InstanceId =>
            context.BindingContext.BindingData.TryGetValue("instanceId", out var instanceId) ? instanceId as string ?? "" : "";
    }
}
